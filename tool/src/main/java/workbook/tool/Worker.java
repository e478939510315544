package workbook.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;

/**
 * Checks lessons in a JVM of its own: learner code that calls System.exit, or leaves threads
 * running, or never ends, cannot take the workbook down with it; it costs the worker JVM, which
 * the next check starts anew. The worker stays warm between checks (javac and JUnit loaded and
 * compiled), so watch mode's verdicts take a fraction of a second.
 *
 * <p>The protocol, all of it here: a request is a line {@code <mode> <lesson id>} on the worker's
 * standard input; the answer, a line {@link #MARKER} + the {@link Report} as JSON on its output.
 */
final class Worker implements AutoCloseable {

    /** Thrown when a check ended without a report; the message says why, for the learner. */
    static final class NoReport extends Exception {
        NoReport(String message) {
            super(message);
        }
    }

    /** The whole check's limit; each test also has its own (testkit's junit-platform.properties). */
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final String MARKER = "workbook-report: ";
    /** How long a worker whose output has ended may take to exit, to tell its exit code. */
    private static final Duration WAIT_FOR_EXIT = Duration.ofSeconds(5);
    private static final String ALL = "all";
    private static final String UNTIL_FIRST_FAILURE = "first";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Workbook workbook;
    private Process process;
    private PrintWriter requests;
    /** The worker's reports; empty when its output ended. */
    private BlockingQueue<Optional<String>> reports;

    Worker(Workbook workbook) {
        this.workbook = workbook;
    }

    /** Checks the learner's code of {@code lesson} once, every test, in a worker of its own. */
    static Report checkOnce(Workbook workbook, Lesson lesson) throws IOException, InterruptedException, NoReport {
        try (Worker worker = new Worker(workbook)) {
            return worker.check(lesson, ALL);
        }
    }

    /** Checks the learner's code of {@code lesson}, task by task until its first failing test. */
    Report check(Lesson lesson) throws IOException, InterruptedException, NoReport {
        return check(lesson, UNTIL_FIRST_FAILURE);
    }

    private Report check(Lesson lesson, String mode) throws IOException, InterruptedException, NoReport {
        if (process == null || !process.isAlive()) {
            start();
        }
        requests.println(mode + " " + lesson.id());
        Optional<String> line = reports.poll(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            close();
            throw new NoReport("The check did not finish within " + LIMIT.toMinutes() + " minutes and was stopped."
                    + " Is there an endless loop, or a wait that never ends, in your code?");
        }
        if (line.isEmpty()) {
            String exit = process.waitFor(WAIT_FOR_EXIT.toMillis(), TimeUnit.MILLISECONDS) ? " (exit code " + process.exitValue() + ")" : "";
            close();
            throw new NoReport("The check ended without a result" + exit + ". Does your code call System.exit, or run out of memory?");
        }
        Report report = JSON.readValue(line.get(), Report.class);
        if (report.codeLeftRunning()) {
            // The learner's code may still loop in the worker, where nothing can stop it but the
            // worker's end: end it, and the next check starts a fresh one.
            close();
        }
        return report;
    }

    /** Starts {@link #main} in a new JVM, on this JVM's java and class path; its log lines are dropped. */
    private void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Worker.class.getName(), workbook.root().toString()));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        BlockingQueue<Optional<String>> queue = new LinkedBlockingQueue<>();
        reports = queue;
        // Read the output while the worker runs, or a chatty one blocks on a full pipe.
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try (output) {
                output.lines().filter(line -> line.startsWith(MARKER))
                        .forEach(line -> queue.add(Optional.of(line.substring(MARKER.length()))));
            } catch (IOException e) {
                // The worker is gone: said below.
            }
            queue.add(Optional.empty());
        }, "worker-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether a worker JVM runs now, waiting for the next check. */
    boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process = null;
        }
    }

    /** The worker: {@code Worker <workbook root>}, answering each request line until its input ends. */
    public static void main(String[] args) throws Exception {
        Workbook workbook = Workbook.at(Path.of(args[0]));
        LessonRunner runner = new LessonRunner(workbook);
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String request = requests.readLine(); request != null; request = requests.readLine()) {
            String[] parts = request.split(" ", 2);
            Lesson lesson = workbook.manifest().lessons().stream().filter(each -> each.id().equals(parts[1]))
                    .findFirst().orElseThrow();
            Report report = parts[0].equals(ALL) ? runner.run(lesson, Code.LEARNER) : runner.runUntilFirstFailure(lesson, Code.LEARNER);
            System.out.println(MARKER + JSON.writeValueAsString(report));
            System.out.flush();
        }
        // Threads the learner's code left running must not keep this JVM alive.
        System.exit(0);
    }
}
