package workbook.tool;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import workbook.tool.Manifest.Lesson;

/**
 * How long watch mode takes from a save to a verdict, warm: on a copy of lesson 1 with its
 * solution in place, it edits the learner's file 20 times and times each edit through the same
 * path as {@code ./workbook watch} (file event, quiet period, check in the warm worker). A
 * benchmark to run by hand ({@code ./workbook benchmark-watch}), not a timed test.
 */
final class WatchBenchmark {

    static final int EDITS = 20;
    static final int WARM_UP = 10;

    private WatchBenchmark() {
    }

    static int run(Workbook workbook, PrintStream out) throws Exception {
        Lesson lesson = workbook.manifest().lessons().get(0);
        Workbook copy = workbook.copyLesson(lesson, Files.createTempDirectory("workbook-benchmark-"));
        Workbook.copyTree(copy.solutionDir(lesson), copy.lessonDir(lesson));
        Path file = copy.lessonDir(lesson).resolve(lesson.edit().get(0));
        List<Long> millis = new ArrayList<>();
        try (Worker worker = new Worker(copy); FileWatch watch = new FileWatch(copy.lessonDir(lesson).resolve("src/main/java"))) {
            for (int edit = 1; edit <= WARM_UP + EDITS; edit++) {
                long start = System.nanoTime();
                Files.writeString(file, Files.readString(file) + "// edit " + edit + "\n");
                if (!watch.awaitChange(Duration.ofSeconds(10))) {
                    out.println("The edit was not seen within 10 s: file watching does not work here.");
                    return 1;
                }
                Report report = worker.check(lesson);
                long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (!report.passed()) {
                    out.println("The solved lesson failed its check:\n" + Verdict.format(lesson, report));
                    return 1;
                }
                if (edit > WARM_UP) {
                    millis.add(elapsed);
                }
            }
        }
        Collections.sort(millis);
        out.printf("Edit -> verdict, warm, %d edits of %s (passing): median %d ms, max %d ms (min %d ms)%n",
                EDITS, lesson.edit().get(0), (millis.get(EDITS / 2 - 1) + millis.get(EDITS / 2)) / 2,
                millis.get(EDITS - 1), millis.get(0));
        return 0;
    }
}
