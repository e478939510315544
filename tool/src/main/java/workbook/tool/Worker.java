package workbook.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * <p>The protocol, all of it here: a request is a line {@code <lesson id>} on the worker's
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
    /** How long a worker may take to end and write its class data archive, once. */
    private static final Duration ARCHIVE_WRITE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Workbook workbook;
    /** Whether this worker checks once and ends, or stays warm for the next check. */
    private final boolean once;
    /** More options for the worker's JVM, e.g. {@code -Dworkbook.wait.seconds=1}. */
    private final List<String> options;
    private Process process;
    /** Where the worker JVM writes its class data archive when it ends, if it does: see {@link #start}. */
    private Path archiving;
    private PrintWriter requests;
    /** The worker's reports; empty when its output ended. */
    private BlockingQueue<Optional<String>> reports;

    /** A worker that stays warm between checks, for watch mode. */
    Worker(Workbook workbook) {
        this(workbook, false, List.of());
    }

    /**
     * For the tool's own tests: a warm worker whose JVM also gets {@code options}, e.g. a wait of
     * 1 s for a message, for a check that fails by waiting.
     */
    Worker(Workbook workbook, List<String> options) {
        this(workbook, false, options);
    }

    private Worker(Workbook workbook, boolean once, List<String> options) {
        this.workbook = workbook;
        this.once = once;
        this.options = List.copyOf(options);
    }

    /** Checks the learner's code of {@code lesson} once, in a worker of its own. */
    static Report checkOnce(Workbook workbook, Lesson lesson) throws IOException, InterruptedException, NoReport {
        try (Worker worker = new Worker(workbook, true, List.of())) {
            return worker.check(lesson);
        }
    }

    /**
     * Checks the learner's code of {@code lesson}, task by task until its first failing test: the
     * verdict shows only the first failure, and the tests after it would only cost time.
     */
    Report check(Lesson lesson) throws IOException, InterruptedException, NoReport {
        if (process == null || !process.isAlive()) {
            start();
        }
        requests.println(lesson.id());
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

    /**
     * Starts {@link #main} in a new JVM, on this JVM's java and class path; its log lines are dropped.
     *
     * <p>A cold JVM spends most of a one-off check loading and compiling classes (javac's, JUnit's,
     * Jetty's), so: a JVM that checks once compiles only with C1, which starts producing code
     * sooner; and when the tool runs from its jar, the worker loads the classes from a class data
     * archive beside the jar (CDS), which the first worker writes as it ends.
     */
    private void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (once) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        archiving = null;
        Path archive = archive();
        if (archive != null && Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive);
        } else if (archive != null) {
            // A name of its own, moved into place once written: two first checks at once cannot clash.
            archiving = Files.createTempFile(archive.getParent(), "worker-", ".jsa");
            Files.delete(archiving);
            command.add("-XX:ArchiveClassesAtExit=" + archiving);
        }
        command.addAll(options);
        command.addAll(List.of("-Xlog:disable", "-cp", System.getProperty("java.class.path"), Worker.class.getName(), workbook.root().toString()));
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

    /**
     * The worker's class data archive, beside the tool's jar; none when the tool runs from a
     * folder of classes (as in its own tests), which CDS does not take. The workbook script deletes
     * it whenever it builds the tool anew.
     */
    private static Path archive() {
        try {
            Path code = Path.of(Worker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(code) ? code.resolveSibling("worker.jsa") : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (process != null && archiving != null) {
            // The end of its input ends the worker, which then writes the archive (as does any end
            // but a kill, System.exit included).
            requests.close();
            try {
                if (process.waitFor(ARCHIVE_WRITE.toMillis(), TimeUnit.MILLISECONDS) && Files.isRegularFile(archiving)) {
                    Files.move(archiving, archiving.resolveSibling("worker.jsa"), StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                // No archive this time: the next worker tries again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
            String id = request;
            Lesson lesson = workbook.manifest().lessons().stream().filter(each -> each.id().equals(id)).findFirst().orElseThrow();
            Report report = runner.runUntilFirstFailure(lesson, Code.LEARNER);
            System.out.println(MARKER + JSON.writeValueAsString(report));
            System.out.flush();
        }
        // Threads the learner's code left running must not keep this JVM alive.
        System.exit(0);
    }
}
