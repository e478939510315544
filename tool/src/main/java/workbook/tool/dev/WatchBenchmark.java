package workbook.tool.dev;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import workbook.tool.Manifest.Lesson;
import workbook.tool.Progress;
import workbook.tool.Report;
import workbook.tool.Verdict;
import workbook.tool.Watch;
import workbook.tool.Workbook;

/**
 * How long watch mode takes from a save to a verdict, warm: it runs the real {@link Watch} loop on
 * a copy of lesson 1, saves the learner's file 30 times, as the solution and as the stub by turns,
 * and times each save from the write to the verdict, passing and failing apart, the first 10 saves
 * being the warm-up. A benchmark to run by hand ({@code ./workbook dev benchmark-watch}), not a
 * timed test.
 */
final class WatchBenchmark {

    static final int EDITS = 20;
    static final int WARM_UP = 10;

    private WatchBenchmark() {
    }

    static int run(Workbook workbook, PrintStream out) throws Exception {
        Lesson lesson = workbook.manifest().lessons().get(0);
        Workbook copy = workbook.copyLesson(lesson, Files.createTempDirectory("workbook-benchmark-"));
        Path file = copy.lessonDir(lesson).resolve(lesson.edit().get(0));
        String stub = Files.readString(file);
        String solution = Files.readString(copy.solutionDir(lesson).resolve(lesson.edit().get(0)));
        BlockingQueue<Report> verdicts = new LinkedBlockingQueue<>();
        BlockingQueue<String> keys = new LinkedBlockingQueue<>();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Watch watch = new Watch(copy, new Progress(copy, quiet), quiet, keys, verdicts::add);
        CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() -> {
            try {
                return watch.run(lesson);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Long> passing = new ArrayList<>();
        List<Long> failing = new ArrayList<>();
        try {
            // The check of the lesson as it is, when the watch starts.
            verdicts.poll(1, TimeUnit.MINUTES);
            for (int edit = 1; edit <= WARM_UP + EDITS; edit++) {
                boolean solved = edit % 2 == 1;
                long start = System.nanoTime();
                Files.writeString(file, (solved ? solution : stub) + "// edit " + edit + "\n");
                Report report = verdicts.poll(10, TimeUnit.SECONDS);
                long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (report == null) {
                    out.println("No verdict within 10 s of an edit: file watching does not work here.");
                    return 1;
                }
                if (report.passed() != solved) {
                    out.println("The " + (solved ? "solution" : "stub") + " got the wrong verdict:\n" + Verdict.format(lesson, report));
                    return 1;
                }
                if (edit > WARM_UP) {
                    (solved ? passing : failing).add(elapsed);
                }
            }
        } finally {
            keys.add("q");
            watching.get(1, TimeUnit.MINUTES);
        }
        out.println("Save -> verdict, warm, " + lesson.edit().get(0) + ":");
        out.println("  " + summary(passing) + " (the solution: every test runs)");
        out.println("  " + summary(failing) + " (the stub: the first task fails)");
        return 0;
    }

    private static String summary(List<Long> millis) {
        Collections.sort(millis);
        int n = millis.size();
        long median = (millis.get((n - 1) / 2) + millis.get(n / 2)) / 2;
        return String.format("%d saves: median %d ms, max %d ms (min %d ms)", n, median, millis.get(n - 1), millis.get(0));
    }
}
