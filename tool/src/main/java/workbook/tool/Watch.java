package workbook.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import workbook.tool.Manifest.Lesson;

/**
 * {@code ./workbook watch}: checks the lesson on every save, in a warm {@link Worker}, and moves
 * on to the next lesson only when the learner says so. Keys come as lines: Enter checks again,
 * n + Enter goes to the next lesson, q + Enter quits.
 */
public final class Watch {

    private final Workbook workbook;
    private final Progress progress;
    private final PrintStream out;
    private final BlockingQueue<String> keys;
    /** Hears every verdict: the watch benchmark times the loop with it. */
    private final Consumer<Report> verdicts;

    public Watch(Workbook workbook, Progress progress, PrintStream out, BlockingQueue<String> keys, Consumer<Report> verdicts) {
        this.workbook = workbook;
        this.progress = progress;
        this.out = out;
        this.keys = keys;
        this.verdicts = verdicts;
    }

    /** The lines typed on {@code in}, then a "q" when it ends, read by a daemon thread. */
    static BlockingQueue<String> keyboard(InputStream in) {
        BlockingQueue<String> keys = new LinkedBlockingQueue<>();
        Thread keyboard = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                lines.lines().forEach(keys::add);
            } catch (IOException e) {
                // No keyboard: q below, as for one that closed.
            }
            keys.add("q");
        }, "keyboard");
        keyboard.setDaemon(true);
        keyboard.start();
        return keys;
    }

    /** Watches lesson after lesson, from {@code first}, until q. */
    public int run(Lesson first) throws Exception {
        Lesson lesson = first;
        try (Worker worker = new Worker(workbook)) {
            while (lesson != null) {
                lesson = watch(lesson, worker);
            }
        }
        return 0;
    }

    /** Watches one lesson; @return the next lesson to watch, or null to quit */
    private Lesson watch(Lesson lesson, Worker worker) throws Exception {
        out.println("Watching lesson " + lesson.number() + ": " + lesson.title() + ". Save a file to check; Enter checks"
                + " again, " + (isLast(lesson) ? "" : "n + Enter: next lesson, ") + "q + Enter: quit.");
        FileWatch files = null;
        try {
            files = new FileWatch(workbook.lessonDir(lesson).resolve("src/main/java"));
            if (files.isPolling()) {
                out.println("Note: file watching on this system polls, and may see a save only seconds later;"
                        + " press Enter to check at once.");
            }
        } catch (IOException e) {
            out.println("Note: file watching does not work here (" + e.getMessage() + "): press Enter to check.");
        }
        List<Lesson> lessons = workbook.manifest().lessons();
        try {
            check(lesson, worker);
            while (true) {
                String key = files == null ? keys.take() : keys.poll();
                if (key == null) {
                    if (files.awaitChange(Duration.ofMillis(100))) {
                        check(lesson, worker);
                    }
                } else if (key.equalsIgnoreCase("q")) {
                    return null;
                } else if (key.equalsIgnoreCase("n") && isLast(lesson)) {
                    out.println("Lesson " + lesson.number() + " is the last lesson. q + Enter quits.");
                } else if (key.equalsIgnoreCase("n")) {
                    return lessons.get(lesson.number());
                } else {
                    check(lesson, worker);
                }
            }
        } finally {
            if (files != null) {
                files.close();
            }
        }
    }

    private boolean isLast(Lesson lesson) {
        return lesson.number() == workbook.manifest().lessons().size();
    }

    private void check(Lesson lesson, Worker worker) throws Exception {
        out.println("Checking...");
        try {
            Report report = worker.check(lesson);
            out.println(Verdict.format(lesson, report));
            progress.checked(lesson, report.passed());
            if (report.passed()) {
                out.println("Lesson " + lesson.number() + " passes: " + (isLast(lesson)
                        ? "it is the last lesson, well done! q + Enter quits." : "n + Enter goes to the next lesson."));
            }
            verdicts.accept(report);
        } catch (Worker.NoReport e) {
            out.println("  " + e.getMessage() + " The watch goes on.");
        }
    }
}
