package workbook.tool;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tells when a file under a folder changes. An editor's save is often several events (a temporary
 * file, a rename, a write): they count as one change once {@link #QUIET} passes without another.
 */
final class FileWatch implements AutoCloseable {

    static final Duration QUIET = Duration.ofMillis(40);

    private final WatchService service;

    FileWatch(Path folder) throws IOException {
        service = FileSystems.getDefault().newWatchService();
        try (Stream<Path> folders = Files.walk(folder)) {
            for (Path each : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) {
                each.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    /** Whether changes come as they happen; a polling watcher (the JDK's on macOS) sees them late. */
    boolean isPolling() {
        return service.getClass().getSimpleName().contains("Polling");
    }

    /** Waits up to {@code timeout} for a change; true when one came (and the events went quiet). */
    boolean awaitChange(Duration timeout) throws InterruptedException {
        WatchKey key = service.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (key == null) {
            return false;
        }
        while (key != null) {
            key.pollEvents();
            key.reset();
            key = service.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
