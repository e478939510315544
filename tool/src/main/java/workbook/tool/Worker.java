package workbook.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import workbook.tool.Checks.NoReport;
import workbook.tool.Manifest.Lesson;

/**
 * A warm JVM that checks lessons on request, for watch mode: javac and JUnit stay loaded and
 * compiled between checks, so a verdict takes a fraction of a second. It is a JVM of its own, like
 * {@link Checks}: learner code that calls System.exit or never ends costs a restart, nothing more.
 * Each check runs until its first failing test.
 */
final class Worker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Workbook workbook;
    private Process process;
    private PrintWriter requests;
    /** The worker's reports; empty when its output ended. */
    private BlockingQueue<Optional<String>> reports;

    Worker(Workbook workbook) {
        this.workbook = workbook;
    }

    Report check(Lesson lesson) throws IOException, InterruptedException, NoReport {
        if (process == null || !process.isAlive()) {
            start();
        }
        requests.println(lesson.id());
        Optional<String> line = reports.poll(Checks.LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null || line.isEmpty()) {
            String why = line == null
                    ? "The check did not finish within " + Checks.LIMIT.toMinutes() + " minutes and was stopped."
                            + " Is there an endless loop, or a wait that never ends, in your code?"
                    : "The check ended without a result. Does your code call System.exit, or run out of memory?";
            close();
            throw new NoReport(why);
        }
        return JSON.readValue(line.get(), Report.class);
    }

    private void start() throws IOException {
        process = Checks.start("--worker", workbook.root().toString());
        requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        BlockingQueue<Optional<String>> queue = new LinkedBlockingQueue<>();
        reports = queue;
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try (output) {
                output.lines().filter(line -> line.startsWith(Checks.MARKER))
                        .forEach(line -> queue.add(Optional.of(line.substring(Checks.MARKER.length()))));
            } catch (IOException e) {
                // The worker is gone: said below.
            }
            queue.add(Optional.empty());
        }, "worker-output");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process = null;
        }
    }
}
