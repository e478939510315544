package workbook.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;

/**
 * Runs a lesson's check in a JVM of its own: learner code that calls System.exit, or leaves
 * threads running, or never ends, cannot take the workbook down with it. The child runs
 * {@link LessonRunner} and prints its {@link Report} as one JSON line after {@link #MARKER}.
 */
public final class Checks {

    /** The whole check's limit; each test also has its own (testkit's junit-platform.properties). */
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final String MARKER = "workbook-report: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checks() {
    }

    /** Thrown when the check ended without a report; the message says why, for the learner. */
    public static final class NoReport extends Exception {
        NoReport(String message) {
            super(message);
        }
    }

    /** Checks the learner's code of {@code lesson}, in a child JVM on this JVM's class path. */
    public static Report run(Workbook workbook, Lesson lesson) throws IOException, InterruptedException, NoReport {
        Process child = start(workbook.root().toString(), lesson.id());
        // Read the output while the child runs, or a chatty child blocks on a full pipe.
        CompletableFuture<String> report = CompletableFuture.supplyAsync(() -> reportLine(child));
        if (!child.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
            throw new NoReport("The check did not finish within " + LIMIT.toMinutes() + " minutes and was stopped."
                    + " Is there an endless loop, or a wait that never ends, in your code?");
        }
        String line = report.join();
        if (line == null) {
            throw new NoReport("The check ended without a result (exit code " + child.exitValue() + ")."
                    + " Does your code call System.exit, or run out of memory?");
        }
        return JSON.readValue(line, Report.class);
    }

    /**
     * Starts this class's {@link #main} in a new JVM, on this JVM's java and class path. Its
     * standard error (the lessons' log lines) is dropped; its reports come on standard output.
     */
    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Checks.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String reportLine(Process child) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            return out.lines().filter(line -> line.startsWith(MARKER)).map(line -> line.substring(MARKER.length()))
                    .reduce((first, last) -> last).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The child: {@code Checks <workbook root> <lesson id>} checks one lesson fully;
     * {@code Checks --worker <workbook root>} checks each lesson id read from standard input, until
     * its first failing test (see {@link Worker}).
     */
    public static void main(String[] args) throws Exception {
        boolean worker = args[0].equals("--worker");
        Workbook workbook = Workbook.at(Path.of(args[worker ? 1 : 0]));
        LessonRunner runner = new LessonRunner(workbook);
        if (worker) {
            BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String id = requests.readLine(); id != null; id = requests.readLine()) {
                report(runner.runUntilFirstFailure(lesson(workbook, id), Code.LEARNER));
            }
        } else {
            report(runner.run(lesson(workbook, args[1]), Code.LEARNER));
        }
        // Threads the learner's code left running must not keep this JVM alive.
        System.exit(0);
    }

    private static Lesson lesson(Workbook workbook, String id) {
        return workbook.manifest().lessons().stream().filter(lesson -> lesson.id().equals(id)).findFirst().orElseThrow();
    }

    private static void report(Report report) throws IOException {
        System.out.println(MARKER + JSON.writeValueAsString(report));
        System.out.flush();
    }
}
