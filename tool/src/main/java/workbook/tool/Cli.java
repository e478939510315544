package workbook.tool;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

import jdk.jshell.tool.JavaShellToolBuilder;

import workbook.server.LessonServer;
import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;
import workbook.tool.bench.Bench;
import workbook.tool.dev.Dev;

/**
 * The learner's command, {@code ./workbook}: progress, check, hints, the solution, reset. The
 * script at the repository root builds this module and runs {@code Cli <workbook root> <args>}.
 */
public final class Cli {

    static final String USAGE = """
            Usage: ./workbook [command]
              (no command)             your progress, and the check of your current lesson
              check [N]                check lesson N (default: the current lesson)
              watch [N]                check lesson N (default: the current lesson) on every save; Enter checks
                                       again, n + Enter goes to the next lesson, q + Enter quits
              hint [N]                 the next hint for lesson N
              solution N [--force]     the reference solution, as a diff from your files (once the lesson passes)
              reset N                  put lesson N's files back as shipped, keeping yours in a backup
              restore N                put back lesson N's files from their latest backup
              play N [--port P]        a JShell session with lesson N's server (your code) and a client that prints
                                       what it receives: push by hand and watch it arrive
              serve N [--solution] [--port P] [--host H]
                                       run lesson N's server, yours or the reference, on port P (8080),
                                       with its live page for a browser at http://localhost:P/; it listens
                                       on this machine only, unless --host 0.0.0.0 opens it to your network
              bench N [--solution] [--clients C] [--rate R] [--seconds S] [--stalled K]
                                       measure lesson N's broadcast (lessons 2, 3, 4, 6, 7, 10), yours or the
                                       reference, beside the reference's: C clients (100), R messages a second
                                       (100) for S seconds (5), K more clients that never read (0); on this machine
              help                     this text
              (dev ...                 the maintainers' commands: ./workbook dev help)""";

    /** A mistake in the command line: a one-line message, then the usage, exit code 2. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    private final Workbook workbook;
    private final Progress progress;
    private final PrintStream out;

    Cli(Workbook workbook, PrintStream out) throws IOException {
        this.workbook = workbook;
        this.progress = new Progress(workbook, out);
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(Path.of(args[0]), List.of(args).subList(1, args.length), System.out, System.err));
    }

    /**
     * Runs a command in the workbook at {@code root}, and says what went wrong in one line, never a
     * stack trace: a broken manifest with its line and column; anything else with the place of
     * its details.
     *
     * @return the exit code: 0 for success, 1 for a failure, 2 for a mistake in the command line
     */
    static int run(Path root, List<String> args, PrintStream out, PrintStream err) {
        try {
            return new Cli(Workbook.at(root), out).run(args);
        } catch (UsageError e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Workbook.BrokenFile e) {
            err.println(e.describe(root));
            return 1;
        } catch (Exception e) {
            Path details = root.resolve(".workbook/last-error.txt");
            try {
                Files.createDirectories(details.getParent());
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                Files.writeString(details, trace.toString());
            } catch (IOException unwritable) {
                e.addSuppressed(unwritable);
            }
            err.println("The workbook failed: " + e + " (details in " + root.relativize(details) + ")");
            return 1;
        }
    }

    /** @return the exit code: 0 for success (a passing check), 1 for a failing check */
    int run(List<String> args) throws Exception {
        String command = args.isEmpty() ? "status" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        return switch (command) {
            case "status" -> status();
            case "check" -> check(optionalLesson(rest));
            case "watch" -> new Watch(workbook, progress, out, Watch.keyboard(System.in), report -> { }).run(optionalLesson(rest));
            case "hint" -> hint(optionalLesson(rest));
            case "solution" -> solution(lesson(rest), rest.contains("--force"));
            case "reset" -> reset(lesson(rest));
            case "restore" -> restore(lesson(rest));
            case "play" -> play(lesson(rest), port(rest));
            case "serve" -> serve(lesson(rest), rest.contains("--solution") ? Code.REFERENCE : Code.LEARNER, port(rest), host(rest));
            case "bench" -> bench(lesson(rest), rest.subList(1, rest.size()));
            case "dev" -> dev(rest);
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                yield 0;
            }
            default -> throw new UsageError("Unknown command: " + command);
        };
    }

    /** The maintainers' commands: a mistake in their words is one line and exit code 2. */
    private int dev(List<String> args) throws Exception {
        try {
            return Dev.run(workbook, out, args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
    }

    private int status() throws Exception {
        List<Lesson> lessons = workbook.manifest().lessons();
        int done = 0;
        Lesson current = null;
        for (Lesson lesson : lessons) {
            boolean passed = progress.done(lesson);
            done += passed ? 1 : 0;
            if (!passed && current == null) {
                current = lesson;
            }
            out.printf("  %s %d. %s (%s)%n", passed ? "[x]" : "[ ]", lesson.number(), lesson.title(), lesson.technique());
        }
        out.println(bar(done, lessons.size()));
        if (current == null) {
            out.println("Every lesson passes. Well done!");
            return 0;
        }
        out.println();
        out.println("Current: lesson " + current.number() + ". Checking...");
        return check(current);
    }

    static String bar(int done, int total) {
        int width = 20;
        int filled = total == 0 ? width : done * width / total;
        return "  [" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + done + " of " + total + " lessons done";
    }

    private int check(Lesson lesson) throws Exception {
        if (missing(lesson)) {
            return 1;
        }
        Report report;
        try {
            report = Worker.checkOnce(workbook, lesson);
        } catch (Worker.NoReport e) {
            out.println(lesson.name());
            out.println("  " + e.getMessage());
            progress.checked(lesson, false);
            return 1;
        }
        out.println(Verdict.format(lesson, report));
        progress.checked(lesson, report.passed());
        return report.passed() ? 0 : 1;
    }

    private int hint(Lesson lesson) throws IOException {
        List<String> hints = lesson.hints();
        int shown = progress.hintsShown(lesson);
        if (shown >= hints.size()) {
            out.println("That was the last hint for lesson " + lesson.number() + ". The hints so far:");
            for (int i = 0; i < hints.size(); i++) {
                out.println("  " + (i + 1) + ". " + hints.get(i));
            }
            return 0;
        }
        out.println("Hint " + (shown + 1) + " of " + hints.size() + " for lesson " + lesson.number() + ":");
        out.println("  " + hints.get(shown));
        progress.hintShown(lesson);
        return 0;
    }

    private int solution(Lesson lesson, boolean force) throws IOException {
        if (missing(lesson)) {
            return 1;
        }
        if (!force && !progress.done(lesson)) {
            out.println("Lesson " + lesson.number() + " does not pass yet (./workbook check " + lesson.number()
                    + "). Try a hint (./workbook hint " + lesson.number() + "), or add --force to see the solution now.");
            return 1;
        }
        // Code against code: comments, the reference's doc tags and callouts, and layout are no difference.
        boolean same = true;
        for (String edit : lesson.edit()) {
            Path mine = workbook.lessonDir(lesson).resolve(edit);
            Path reference = workbook.solutionDir(lesson).resolve(edit);
            String yours = Files.readString(mine);
            String theirs = Files.readString(reference);
            if (!CodeLines.same(yours, theirs)) {
                same = false;
                out.println("--- yours:     " + workbook.root().relativize(mine));
                out.println("+++ reference: " + workbook.root().relativize(reference));
                out.println(String.join("\n", LineDiff.changes(LineDiff.diff(CodeLines.of(yours), CodeLines.of(theirs)), 2)));
            }
        }
        if (same) {
            out.println("Your code matches the reference solution of lesson " + lesson.number()
                    + " (comments and layout aside).");
        } else {
            out.println("(Code lines only: comments and layout are left out. The reference, with its comments, is in "
                    + workbook.root().relativize(workbook.solutionDir(lesson)) + "/.)");
        }
        return 0;
    }

    private int reset(Lesson lesson) throws IOException, InterruptedException {
        Path backup;
        try {
            backup = Reset.reset(workbook, lesson, LocalDateTime.now());
        } catch (Reset.Refused e) {
            out.println(e.getMessage());
            return 1;
        }
        out.println("Lesson " + lesson.number() + " is back as shipped.");
        out.println("Your version is saved in " + workbook.root().relativize(backup) + "/; ./workbook restore "
                + lesson.number() + " puts it back.");
        // The progress stays as it is: a lesson is done while its files are as they were when it passed.
        return 0;
    }

    private int restore(Lesson lesson) throws IOException {
        Path restored;
        try {
            restored = Reset.restore(workbook, lesson, LocalDateTime.now());
        } catch (Reset.Refused e) {
            out.println(e.getMessage());
            return 1;
        }
        out.println("Lesson " + lesson.number() + " is back as you had it in " + workbook.root().relativize(restored)
                + "/; the files it replaced are backed up too.");
        return 0;
    }

    /**
     * Runs the lesson's server, compiled from the learner's files or the reference solution, until
     * Ctrl-C, which stops it politely: clients get 1001. Every lesson server also serves the live
     * page, for a browser, on the same port.
     */
    private int serve(Lesson lesson, Code code, int port, String host) throws Exception {
        if (!free(host, port)) {
            return 1;
        }
        Path classes = compiled(lesson, code);
        if (classes == null) {
            return 1;
        }
        out.println(lesson.name() + ", "
                + (code == Code.REFERENCE ? "the reference solution" : "your code") + ".");
        out.println("Try it on the live page: " + lesson.page(port));
        showServerEvents();
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Cli.class.getClassLoader());
        // The lesson's main listens on the port given, prints the page's address and runs until Ctrl-C.
        loader.loadClass(lesson.server()).getMethod("main", String[].class)
                .invoke(null, (Object) new String[] {Integer.toString(port), host});
        return 0;
    }

    /**
     * Shows what a served lesson logs about its clients: a laggard closed, a send that failed, a
     * connection that broke, Redis gone and back (Lettuce's reconnects). The tool's class path holds
     * the tests' logging settings, which keep these quiet; a system property outranks them, for
     * every logger made from now on.
     */
    static void showServerEvents() {
        System.setProperty("org.slf4j.simpleLogger.log.workbook", "info");
        System.setProperty("org.slf4j.simpleLogger.log.io.lettuce.core.protocol", "info");
    }

    /**
     * Measures the lesson's broadcast server, the learner's or the reference, and the reference
     * under the same load, side by side: see {@link Bench}.
     */
    private int bench(Lesson lesson, List<String> args) throws Exception {
        Bench.Options options;
        try {
            options = Bench.Options.parse(args);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        if (!Bench.measures(lesson)) {
            throw new UsageError("Lesson " + lesson.number() + " does not broadcast: bench measures lessons "
                    + workbook.manifest().lessons().stream().filter(Bench::measures).map(l -> String.valueOf(l.number()))
                            .collect(Collectors.joining(", ")) + ".");
        }
        Path yours = compiled(lesson, options.solution() ? Code.REFERENCE : Code.LEARNER);
        Path reference = yours == null || options.solution() ? yours : compiled(lesson, Code.REFERENCE);
        if (reference == null) {
            return 1;
        }
        return new Bench(out, out == System.out && System.console() != null, workbook.root()).run(lesson, options, yours, reference);
    }

    /**
     * Whether {@code port} of {@code host} is free, said in one line when it is not, before the
     * command compiles anything: its server would fail only after the compile and the banner.
     */
    private boolean free(String host, int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            // Free: closing the probe leaves the port to the server.
            return true;
        } catch (IOException e) {
            // A port taken, or an address not of this machine, as the server itself would say it.
            out.println("Cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): is another server running"
                    + " there? Stop it, or choose another port (--port P).");
            return false;
        }
    }

    /** JShell, in this JVM, with the lesson's classes and a startup script from the manifest. */
    private int play(Lesson lesson, int port) throws Exception {
        // JShell would start, and the server in it fail with a stack trace.
        if (!free(LessonServer.LOOPBACK, port)) {
            return 1;
        }
        Path classes = compiled(lesson, Code.LEARNER);
        if (classes == null) {
            return 1;
        }
        String lessonPackage = lesson.server().substring(0, lesson.server().lastIndexOf('.'));
        Path startup = classes.resolve("play.jsh");
        Files.writeString(startup, "import java.net.URI;\nimport java.time.Duration;\nimport " + lessonPackage
                + ".*;\nimport workbook.tool.PlayClient;\nint port = " + port + ";\n" + lesson.play().setup());
        out.println(lesson.name() + ", your code, in JShell.");
        out.println("Started:");
        lesson.play().setup().lines().forEach(line -> out.println("  " + line.replace("start(port)", "start(" + port + ")")));
        out.println("Things to try:");
        lesson.play().tryThese().forEach(snippet -> out.println("  " + snippet));
        out.println("/exit leaves.");
        // JShell runs the snippets in a JVM of its own, on this class path plus the lesson's classes.
        JavaShellToolBuilder.builder().out(out).start("--class-path",
                classes + File.pathSeparator + System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", startup.toString());
        return 0;
    }

    /**
     * The lesson's classes, compiled into a new folder, deleted when this JVM ends; null, once the
     * errors are printed, if they do not compile or a file the learner edits is missing.
     */
    private Path compiled(Lesson lesson, Code code) throws IOException {
        if (missing(lesson)) {
            return null;
        }
        Path classes = Files.createTempDirectory("workbook-" + lesson.id() + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Workbook.deleteTree(classes)));
        List<String> errors = new LessonRunner(workbook).compileMain(lesson, code, classes);
        if (errors.isEmpty()) {
            return classes;
        }
        out.println("Lesson " + lesson.number() + " does not compile:");
        errors.forEach(error -> out.println("  " + error));
        return null;
    }

    /** Whether a file the learner edits is gone; if so, says so and how to get it back. */
    private boolean missing(Lesson lesson) {
        for (String edit : lesson.edit()) {
            Path file = workbook.lessonDir(lesson).resolve(edit);
            if (!Files.isRegularFile(file)) {
                out.println(workbook.root().relativize(file) + " is missing: ./workbook reset " + lesson.number()
                        + " brings back the shipped version, ./workbook restore " + lesson.number() + " your last backup.");
                return true;
            }
        }
        return false;
    }

    /** Where serve listens: this machine only (loopback) unless --host names another address. */
    private static String host(List<String> args) throws UsageError {
        int at = args.indexOf("--host");
        if (at < 0) {
            return LessonServer.LOOPBACK;
        }
        if (at + 1 >= args.size() || args.get(at + 1).startsWith("--")) {
            throw new UsageError("--host takes an address to listen on, e.g. 0.0.0.0 for every interface.");
        }
        return args.get(at + 1);
    }

    private static int port(List<String> args) throws UsageError {
        int at = args.indexOf("--port");
        if (at < 0) {
            return Manifest.DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(args.get(at + 1));
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            // Answered below, as for a number out of range.
        }
        throw new UsageError("--port takes a port number, 0 to 65535.");
    }

    /** The lesson named by the first argument, or the current one (the first not done). */
    private Lesson optionalLesson(List<String> args) throws UsageError, IOException {
        if (!args.isEmpty()) {
            return lesson(args);
        }
        List<Lesson> lessons = workbook.manifest().lessons();
        for (Lesson lesson : lessons) {
            if (!progress.done(lesson)) {
                return lesson;
            }
        }
        return lessons.get(lessons.size() - 1);
    }

    private Lesson lesson(List<String> args) throws UsageError {
        List<Lesson> lessons = workbook.manifest().lessons();
        if (args.isEmpty()) {
            throw new UsageError("Which lesson? Give its number, 1 to " + lessons.size() + ".");
        }
        try {
            int number = Integer.parseInt(args.get(0));
            if (number >= 1 && number <= lessons.size()) {
                return lessons.get(number - 1);
            }
        } catch (NumberFormatException e) {
            // Not a number: answered below, as for a number out of range.
        }
        throw new UsageError("No lesson " + args.get(0) + ": the lessons are numbered 1 to " + lessons.size() + ".");
    }
}
