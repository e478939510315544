package workbook.tool;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jdk.jshell.tool.JavaShellToolBuilder;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;

/**
 * The learner's command, {@code ./workbook}: progress, check, hints, the solution, reset. The
 * script at the repository root builds this module and runs {@code Cli <workbook root> <args>}.
 */
public final class Cli {

    static final String USAGE = """
            Usage: ./workbook [command]
              (no command)             your progress, and the check of your current lesson
              check [N]                check lesson N (default: the current lesson)
              watch                    check the current lesson on every save; Enter checks again, n + Enter
                                       goes to the next lesson, q + Enter quits
              hint [N]                 the next hint for lesson N
              solution N [--force]     the reference solution, as a diff from your files (once the lesson passes)
              reset N                  put lesson N's files back as shipped, keeping yours in a backup
              play N                   a JShell session with lesson N's server (your code) and a client that prints
                                       what it receives: push by hand and watch it arrive
              serve N [--solution] [--port P]
                                       run lesson N's server, yours or the reference, on port P (8080),
                                       with its live page for a browser at http://localhost:P/
              help                     this text""";

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
        this.progress = new Progress(workbook);
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Cli cli = new Cli(Workbook.at(Path.of(args[0])), System.out);
        List<String> rest = List.of(args).subList(1, args.length);
        try {
            System.exit(cli.run(rest));
        } catch (UsageError e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** @return the exit code: 0 for success (a passing check), 1 for a failing check */
    int run(List<String> args) throws Exception {
        String command = args.isEmpty() ? "status" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        return switch (command) {
            case "status" -> status();
            case "check" -> check(optionalLesson(rest));
            case "watch" -> watch(optionalLesson(rest));
            case "hint" -> hint(optionalLesson(rest));
            case "solution" -> solution(lesson(rest), rest.contains("--force"));
            case "reset" -> reset(lesson(rest));
            case "play" -> play(lesson(rest));
            case "serve" -> serve(lesson(rest), rest.contains("--solution") ? Code.REFERENCE : Code.LEARNER, port(rest));
            case "benchmark-watch" -> WatchBenchmark.run(workbook, out);
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                yield 0;
            }
            default -> throw new UsageError("Unknown command: " + command);
        };
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
        Report report;
        try {
            report = Checks.run(workbook, lesson);
        } catch (Checks.NoReport e) {
            out.println("Lesson " + lesson.number() + ": " + lesson.title());
            out.println("  " + e.getMessage());
            progress.checked(lesson, false);
            return 1;
        }
        out.println(Verdict.format(lesson, report));
        progress.checked(lesson, report.passed());
        return report.passed() ? 0 : 1;
    }

    /**
     * Checks {@code lesson} on every save, in a warm worker JVM; moves on to the next lesson only
     * when the learner says so.
     */
    private int watch(Lesson first) throws Exception {
        BlockingQueue<String> keys = new LinkedBlockingQueue<>();
        Thread keyboard = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                in.lines().forEach(keys::add);
            } catch (IOException e) {
                // No keyboard: the watch goes on until the process is stopped.
            }
            keys.add("q");
        }, "keyboard");
        keyboard.setDaemon(true);
        keyboard.start();
        List<Lesson> lessons = workbook.manifest().lessons();
        Lesson lesson = first;
        try (Worker worker = new Worker(workbook)) {
            while (lesson != null) {
                lesson = watch(lesson, worker, keys, lessons);
            }
        }
        return 0;
    }

    /** Watches one lesson; @return the next lesson to watch, or null to quit */
    private Lesson watch(Lesson lesson, Worker worker, BlockingQueue<String> keys, List<Lesson> lessons) throws Exception {
        out.println("Watching lesson " + lesson.number() + ": " + lesson.title()
                + ". Save a file to check; Enter checks again, n + Enter: next lesson, q + Enter: quit.");
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
        try {
            watchCheck(lesson, worker);
            while (true) {
                String key = files == null ? keys.take() : keys.poll();
                if (key == null) {
                    if (files.awaitChange(Duration.ofMillis(100))) {
                        watchCheck(lesson, worker);
                    }
                } else if (key.equalsIgnoreCase("q")) {
                    return null;
                } else if (key.equalsIgnoreCase("n")) {
                    return lessons.get(lesson.number() % lessons.size());
                } else {
                    watchCheck(lesson, worker);
                }
            }
        } finally {
            if (files != null) {
                files.close();
            }
        }
    }

    private void watchCheck(Lesson lesson, Worker worker) throws Exception {
        out.println("Checking...");
        try {
            Report report = worker.check(lesson);
            out.println(Verdict.format(lesson, report));
            progress.checked(lesson, report.passed());
            if (report.passed()) {
                out.println("Lesson " + lesson.number() + " passes: n + Enter goes to the next lesson.");
            }
        } catch (Checks.NoReport e) {
            out.println("  " + e.getMessage() + " The watch goes on.");
        }
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
        Path backup = Reset.reset(workbook, lesson, LocalDateTime.now());
        out.println("Lesson " + lesson.number() + " is back as shipped.");
        out.println("Your version is saved in " + workbook.root().relativize(backup) + "/");
        progress.checked(lesson, false);
        return 0;
    }

    /**
     * Runs the lesson's server, compiled from the learner's files or the reference solution, until
     * Ctrl-C, which stops it politely: clients get 1001. Every lesson server also serves the live
     * page, for a browser, on the same port.
     */
    private int serve(Lesson lesson, Code code, int port) throws Exception {
        Path classes = compiled(lesson, code);
        if (classes == null) {
            return 1;
        }
        out.println("Lesson " + lesson.number() + ": " + lesson.title() + ", "
                + (code == Code.REFERENCE ? "the reference solution" : "your code") + ".");
        out.println("Try it on the live page: " + lesson.page());
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Cli.class.getClassLoader());
        // The lesson's main listens on the port given, prints the page's address and runs until Ctrl-C.
        loader.loadClass(lesson.server()).getMethod("main", String[].class)
                .invoke(null, (Object) new String[] {Integer.toString(port)});
        return 0;
    }

    /** JShell, in this JVM, with the lesson's classes and a startup script from the manifest. */
    private int play(Lesson lesson) throws Exception {
        Path classes = compiled(lesson, Code.LEARNER);
        if (classes == null) {
            return 1;
        }
        String lessonPackage = lesson.server().substring(0, lesson.server().lastIndexOf('.'));
        Path startup = classes.resolve("play.jsh");
        Files.writeString(startup, "import java.net.URI;\nimport java.time.Duration;\nimport " + lessonPackage
                + ".*;\nimport workbook.tool.PlayClient;\n" + lesson.play().setup());
        out.println("Lesson " + lesson.number() + ": " + lesson.title() + ", your code, in JShell.");
        out.println("Started:");
        lesson.play().setup().lines().forEach(line -> out.println("  " + line));
        out.println("Things to try:");
        lesson.play().tryThese().forEach(snippet -> out.println("  " + snippet));
        out.println("/exit leaves.");
        // JShell runs the snippets in a JVM of its own, on this class path plus the lesson's classes.
        JavaShellToolBuilder.builder().out(out).start("--class-path",
                classes + File.pathSeparator + System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", startup.toString());
        return 0;
    }

    /** The lesson's classes, compiled into a new folder; null, once the errors are printed, if they do not compile. */
    private Path compiled(Lesson lesson, Code code) throws IOException {
        Path classes = Files.createTempDirectory("workbook-" + lesson.id() + "-");
        List<String> errors = new LessonRunner(workbook).compile(lesson, code, classes);
        if (errors.isEmpty()) {
            return classes;
        }
        out.println("Lesson " + lesson.number() + " does not compile:");
        errors.forEach(error -> out.println("  " + error));
        return null;
    }

    private static int port(List<String> args) throws UsageError {
        int at = args.indexOf("--port");
        if (at < 0) {
            return 8080;
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
