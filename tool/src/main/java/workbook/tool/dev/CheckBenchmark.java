package workbook.tool.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import workbook.tool.Manifest.Lesson;
import workbook.tool.Workbook;

/**
 * How long a learner waits for a verdict, lesson by lesson: {@code ./workbook check N} as a
 * command of its own (a fresh JVM, as the learner's script starts it), on the stub as shipped and
 * on the reference solution, and watch mode's save-to-verdict, failing and solved. Each in a copy
 * of the lesson, so the learner's files are never touched. A benchmark to run by hand ({@code
 * ./workbook dev benchmark-check}), on a quiet machine; the README's timing table comes from it.
 */
final class CheckBenchmark {

    /** The class data archive of the learner's script (see the workbook script), from the root. */
    private static final String ARCHIVE = "tool/target/workbook.jsa";

    private CheckBenchmark() {
    }

    static int run(Workbook workbook, PrintStream out, List<Lesson> lessons, int runs) throws Exception {
        writeArchive(workbook);
        String before = load();
        out.printf("Medians of %d runs (min-max), in seconds for a check, in ms for watch's save to verdict:%n", runs);
        out.println("| lesson | check, stub | check, solved | watch, failing | watch, solved |");
        out.println("|---|---|---|---|---|");
        for (Lesson lesson : lessons) {
            Path dir = Files.createTempDirectory("workbook-benchmark-");
            try {
                Workbook copy = workbook.copyLesson(lesson, dir);
                List<Long> stub = checks(workbook, copy, lesson, runs);
                solve(copy, lesson);
                List<Long> solved = checks(workbook, copy, lesson, runs);
                WatchBenchmark.Saves saves = WatchBenchmark.measure(workbook, lesson, 2, runs);
                out.printf("| %s | %s | %s | %s | %s |%n", lesson.id(), seconds(stub), seconds(solved),
                        millis(saves.failing()), millis(saves.passing()));
            } finally {
                Workbook.deleteTree(dir);
            }
        }
        out.printf("The machine's load average (1, 5 and 15 min) before: %s; after: %s%n", before, load());
        return 0;
    }

    /**
     * The load average as Linux tells it: figures taken while other work ran are slower than the
     * code's own, and a table is worth comparing with another only beside its load.
     */
    private static String load() {
        try {
            String[] figures = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", figures[0], figures[1], figures[2]);
        } catch (IOException e) {
            return "not known on this system";
        }
    }

    /**
     * Has the learner's script write the class data archive that its short commands load, if the
     * last build deleted it: a check timed without it takes a second more than a learner's.
     */
    private static void writeArchive(Workbook workbook) throws Exception {
        if (!Files.isRegularFile(workbook.root().resolve(ARCHIVE))) {
            Process help = new ProcessBuilder(workbook.root().resolve("workbook").toString(), "help")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!help.waitFor(1, TimeUnit.MINUTES)) {
                help.destroyForcibly();
            }
        }
    }

    /** Puts the reference's files in place of the stub's, in the copy. */
    private static void solve(Workbook copy, Lesson lesson) throws Exception {
        for (String file : lesson.edit()) {
            Files.copy(copy.solutionDir(lesson).resolve(file), copy.lessonDir(lesson).resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Times {@code ./workbook check N} in the copy, {@code runs} times after one to warm up. */
    private static List<Long> checks(Workbook workbook, Workbook copy, Lesson lesson, int runs) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run <= runs; run++) {
            long start = System.nanoTime();
            Process check = new ProcessBuilder(command(workbook, copy, lesson))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!check.waitFor(5, TimeUnit.MINUTES)) {
                check.destroyForcibly();
                throw new IllegalStateException("./workbook check " + lesson.number() + " took over 5 minutes");
            }
            if (run > 0) {
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }
        return millis;
    }

    /**
     * The JVM the learner's script starts for a check (see the workbook script): this one's class
     * path, C1 alone, and the class data archive when the script has written one.
     */
    private static List<String> command(Workbook workbook, Workbook copy, Lesson lesson) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        Path archive = workbook.root().resolve(ARCHIVE);
        if (Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xlog:disable", "-cp", System.getProperty("java.class.path"),
                "workbook.tool.Cli", copy.root().toString(), "check", String.valueOf(lesson.number())));
        return command;
    }

    private static String seconds(List<Long> millis) {
        Collections.sort(millis);
        return String.format("%.1f (%.1f-%.1f)", median(millis) / 1000.0, millis.get(0) / 1000.0, millis.get(millis.size() - 1) / 1000.0);
    }

    private static String millis(List<Long> millis) {
        Collections.sort(millis);
        return String.format("%d (%d-%d)", median(millis), millis.get(0), millis.get(millis.size() - 1));
    }

    private static long median(List<Long> sorted) {
        int n = sorted.size();
        return (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2;
    }
}
