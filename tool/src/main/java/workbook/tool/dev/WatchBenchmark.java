package workbook.tool.dev;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
 * a copy of a lesson, saves the learner's file as the solution and as the stub by turns, and times
 * each save from the write to the verdict, passing and failing apart, after saves to warm up. Part
 * of {@code ./workbook dev benchmark-check} ({@link CheckBenchmark}), a benchmark to run by hand.
 */
final class WatchBenchmark {

    /** The times of the saves measured, in ms: those whose verdict passed, and those that failed. */
    record Saves(List<Long> passing, List<Long> failing) {
    }

    private WatchBenchmark() {
    }

    /** {@code warmUp} saves of each kind, then {@code each} measured of each kind. */
    static Saves measure(Workbook workbook, Lesson lesson, int warmUp, int each) throws Exception {
        Path dir = Files.createTempDirectory("workbook-benchmark-");
        try {
            return measureIn(workbook.copyLesson(lesson, dir), lesson, warmUp, each);
        } finally {
            Workbook.deleteTree(dir);
        }
    }

    private static Saves measureIn(Workbook copy, Lesson lesson, int warmUp, int each) throws Exception {
        Path file = copy.lessonDir(lesson).resolve(lesson.edit().get(0));
        String stub = Files.readString(file);
        String solution = Files.readString(copy.solutionDir(lesson).resolve(lesson.edit().get(0)));
        // The other files the learner edits are solved: a save of the first then decides the verdict.
        for (String other : lesson.edit().subList(1, lesson.edit().size())) {
            Files.copy(copy.solutionDir(lesson).resolve(other), copy.lessonDir(lesson).resolve(other), StandardCopyOption.REPLACE_EXISTING);
        }
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
            for (int edit = 1; edit <= 2 * (warmUp + each); edit++) {
                boolean solved = edit % 2 == 1;
                long start = System.nanoTime();
                Files.writeString(file, (solved ? solution : stub) + "// edit " + edit + "\n");
                Report report = verdicts.poll(1, TimeUnit.MINUTES);
                long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (report == null) {
                    throw new IllegalStateException("No verdict within a minute of a save of lesson " + lesson.number()
                            + ": file watching does not work here.");
                }
                if (report.passed() != solved) {
                    throw new IllegalStateException("The " + (solved ? "solution" : "stub") + " of lesson " + lesson.number()
                            + " got the wrong verdict:\n" + Verdict.format(lesson, report));
                }
                if (edit > 2 * warmUp) {
                    (solved ? passing : failing).add(elapsed);
                }
            }
        } finally {
            keys.add("q");
            watching.get(1, TimeUnit.MINUTES);
        }
        return new Saves(passing, failing);
    }
}
