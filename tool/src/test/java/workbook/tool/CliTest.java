package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import workbook.tool.Manifest.Lesson;
import workbook.tool.Report.Outcome;
import workbook.tool.dev.LessonCheck;
import workbook.tool.dev.MistakeCheck;

/** The command's own logic: arguments, progress, verdicts, diffs and resets, without running checks. */
@DisplayName("The ./workbook command")
class CliTest {

    static final Lesson REPLY = ShippedLessonsTest.WORKBOOK.manifest().lessons().get(0);

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Cli cli(Workbook workbook) throws IOException {
        return new Cli(workbook, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    PrintStream out() {
        return new PrintStream(printed, true, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("an unknown command or a lesson number out of range is a usage error")
    void usageErrors(@TempDir Path dir) throws IOException {
        Cli cli = cli(Workbooks.copyOf(REPLY, dir));
        int lessons = ShippedLessonsTest.WORKBOOK.manifest().lessons().size();

        assertThatThrownBy(() -> cli.run(List.of("frobnicate"))).isInstanceOf(Cli.UsageError.class)
                .hasMessage("Unknown command: frobnicate");
        String past = String.valueOf(lessons + 1);
        assertThatThrownBy(() -> cli.run(List.of("check", past))).isInstanceOf(Cli.UsageError.class)
                .hasMessage("No lesson " + past + ": the lessons are numbered 1 to " + lessons + ".");
        assertThatThrownBy(() -> cli.run(List.of("reset", "one"))).isInstanceOf(Cli.UsageError.class)
                .hasMessage("No lesson one: the lessons are numbered 1 to " + lessons + ".");
        assertThatThrownBy(() -> cli.run(List.of("solution"))).isInstanceOf(Cli.UsageError.class)
                .hasMessageStartingWith("Which lesson?");
    }

    @Test
    @DisplayName("bench: a bad option, or a lesson that does not broadcast, is one line, then the usage, and exit code 2")
    void benchUsage(@TempDir Path dir) throws IOException {
        Workbooks.copyOf(REPLY, dir);
        for (List<String> args : List.of(List.of("bench", "2", "--rate", "fast"), List.of("bench", "1"), List.of("bench"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            assertThat(Cli.run(dir, args, out(), new PrintStream(err, true, StandardCharsets.UTF_8))).as("%s", args).isEqualTo(2);

            String[] lines = err.toString(StandardCharsets.UTF_8).split("\n", 2);
            assertThat(lines[1]).as("%s", args).isEqualTo(Cli.USAGE + "\n");
            assertThat(lines[0]).as("%s", args).isIn("--rate takes a whole number, 1 to 5000.",
                    "Lesson 1 does not broadcast: bench measures lessons 2, 3, 4, 6, 7, 10.", "Which lesson? Give its number, 1 to " + ShippedLessonsTest.WORKBOOK.manifest().lessons().size() + ".");
        }
        assertThat(printed()).isEmpty();
    }

    @Test
    @DisplayName("a lesson is done while its files are as they were when it passed")
    void progress(@TempDir Path dir) throws IOException {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Progress progress = new Progress(copy, out());
        assertThat(progress.done(REPLY)).isFalse();

        progress.checked(REPLY, true);
        assertThat(new Progress(copy, out()).done(REPLY)).as("done, as remembered in a new Progress").isTrue();

        Path file = copy.lessonDir(REPLY).resolve(REPLY.edit().get(0));
        Files.writeString(file, Files.readString(file) + "\n// an edit\n");
        assertThat(new Progress(copy, out()).done(REPLY)).as("done after an edit").isFalse();
    }

    @Test
    @DisplayName("a progress file of random bytes, or a count of hints below 0, is reported in one line and taken as new")
    void brokenProgress(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Path file = Files.createDirectories(dir.resolve(".workbook")).resolve("progress.properties");
        byte[] noise = new byte[512];
        new Random(7).nextBytes(noise);
        Files.write(file, noise);

        assertThat(cli(copy).run(List.of("hint", "1"))).isZero();

        assertThat(printed()).contains("Your progress file .workbook/progress.properties cannot be read", "Hint 1 of")
                .doesNotContain("\tat ");
        Files.writeString(file, REPLY.id() + ".hints=-5\n");
        printed.reset();
        assertThat(cli(copy).run(List.of("hint", "1"))).isZero();
        assertThat(printed()).contains("Ignoring 01-reply.hints=-5", "Hint 1 of " + REPLY.hints().size());
    }

    @Test
    @DisplayName("two commands that change progress at once lose neither's change")
    void concurrentProgress(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Lesson other = ShippedLessonsTest.WORKBOOK.manifest().lessons().get(1);
        int each = 50;

        // Two Progress objects, as two processes have: one counts hints while the other records checks.
        CompletableFuture<Void> hints = CompletableFuture.runAsync(() -> repeat(each, () -> new Progress(copy, out()).hintShown(REPLY)));
        CompletableFuture<Void> checks = CompletableFuture.runAsync(() -> repeat(each, () -> new Progress(copy, out()).hintShown(other)));
        CompletableFuture.allOf(hints, checks).get(20, TimeUnit.SECONDS);

        assertThat(new Progress(copy, out()).hintsShown(REPLY)).isEqualTo(each);
        assertThat(new Progress(copy, out()).hintsShown(other)).isEqualTo(each);
    }

    interface IoAction {
        void run() throws IOException;
    }

    static void repeat(int times, IoAction action) {
        try {
            for (int i = 0; i < times; i++) {
                action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}, read by {1}")
    @CsvSource({"lessons/manifest.yaml, help", "solutions/01-reply/mistakes.yaml, dev check 1"})
    @DisplayName("a broken YAML file is one line naming it, with its line and column, and exit code 1")
    void brokenFile(String file, String command, @TempDir Path dir) throws Exception {
        Workbooks.copyOf(REPLY, dir);
        Path broken = dir.resolve(file);
        Files.writeString(broken, Files.readString(broken).replaceFirst("    title: ", "    title: [unclosed "));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Cli.run(dir, List.of(command.split(" ")), out(), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(file + ", line ").contains(", column ").hasLineCount(1);
    }

    @Test
    @DisplayName("play on a port that is taken says so in one line, before JShell starts")
    void playOnATakenPort(@TempDir Path dir) throws Exception {
        Cli cli = cli(Workbooks.copyOf(REPLY, dir));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {

            assertThat(cli.run(List.of("play", "1", "--port", Integer.toString(taken.getLocalPort())))).isEqualTo(1);
        }

        assertThat(printed()).startsWith("Cannot listen on 127.0.0.1:").contains("choose another port").hasLineCount(1);
    }

    @Test
    @DisplayName("serve on a taken port is one line, at once, and exit code 1, and leaves no folder behind in the temp dir")
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // A JVM start and a compile.
    void serveOnATakenPort(@TempDir Path dir) throws Exception {
        Workbooks.copyOf(REPLY, dir);
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        String output;
        int exit;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // In a JVM of its own, as ./workbook runs it: serve ends its JVM.
            Process serve = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"), Cli.class.getName(),
                    dir.toString(), "serve", "1", "--port", Integer.toString(taken.getLocalPort()))
                    .redirectErrorStream(true).start();
            output = new String(serve.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            exit = serve.waitFor();
        }

        assertThat(exit).as("the exit code; the output was:%n%s", output).isEqualTo(1);
        // Said before the compile and the banner, which would only delay it.
        assertThat(output).startsWith("Cannot listen on 127.0.0.1:").doesNotContain("Try it", "\tat ", "Exception in thread");
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("what serve left in the temp dir").isEmpty();
        }
    }

    @Test
    @DisplayName("serve shows the server's own events (a laggard closed, a send failed), which tests keep quiet")
    void serveShowsServerEvents() {
        assertThat(LoggerFactory.getLogger("workbook.cli.test.Before").isInfoEnabled()).as("info in tests").isFalse();

        Cli.showServerEvents();
        try {
            assertThat(LoggerFactory.getLogger("workbook.cli.test.After").isInfoEnabled()).as("info once serving").isTrue();
            assertThat(LoggerFactory.getLogger("io.lettuce.core.protocol.ConnectionWatchdog").isInfoEnabled())
                    .as("Redis reconnects once serving").isTrue();
        } finally {
            // The other tests of this JVM keep the tests' quiet settings.
            System.clearProperty("org.slf4j.simpleLogger.log.workbook");
            System.clearProperty("org.slf4j.simpleLogger.log.io.lettuce.core.protocol");
        }
    }

    @Test
    @DisplayName("a file the learner edits that is gone is one line saying how to get it back")
    void missingFile(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Files.delete(copy.lessonDir(REPLY).resolve(REPLY.edit().get(0)));

        assertThat(cli(copy).run(List.of("check", "1"))).isEqualTo(1);

        assertThat(printed()).contains("is missing: ./workbook reset 1").hasLineCount(1);
    }

    @Test
    @DisplayName("dev new scaffolds a lesson whose stub fails its task, whose solution passes, and whose mistakes are rejected")
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // Five compiles and checks: a backstop, generous for a busy machine.
    void newLesson(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Files.writeString(dir.resolve("lessons/pom.xml"), "<modules>\n    <module>01-reply</module>\n</modules>\n");
        Files.createDirectories(dir.resolve("browser"));
        Files.writeString(dir.resolve("browser/pom.xml"), "<dependencies>\n    <dependency>\n      <artifactId>lesson-01-reply</artifactId>\n"
                + "    </dependency>\n  </dependencies>\n");
        Cli cli = cli(copy);
        int shipped = copy.manifest().lessons().size();
        String next = String.format("%02d-chat-rooms", shipped + 1);

        assertThat(cli.run(List.of("dev", "new", String.format("%02d-rooms", shipped + 2)))).as("a number out of order").isEqualTo(2);
        assertThat(cli.run(List.of("dev", "new", next))).isZero();

        Workbook grown = Workbook.at(dir);
        Lesson added = grown.manifest().lessons().get(shipped);
        assertThat(added.id()).isEqualTo(next);
        assertThat(added.server()).isEqualTo("workbook.chatrooms.ChatRoomsServer");
        assertThat(dir.resolve("lessons/pom.xml")).content().contains("<module>" + next + "</module>");
        assertThat(dir.resolve("docs/src/" + next + ".adoc")).exists();
        assertThat(dir.resolve("browser/src/test/java/workbook/chatrooms/ChatRoomsPageTest.java")).exists();
        assertThat(dir.resolve("browser/pom.xml")).content()
                .containsSubsequence("lesson-01-reply", "</dependency>", "<artifactId>lesson-" + next + "</artifactId>", "</dependencies>");
        LessonRunner runner = new LessonRunner(grown);
        assertThat(LessonCheck.stubProblems(added, runner.runEachTaskUntilItFails(added, LessonRunner.Code.LEARNER))).isEmpty();
        assertThat(LessonCheck.solutionProblems(added, runner.run(added, LessonRunner.Code.REFERENCE))).isEmpty();
        for (Mistakes.Mistake mistake : grown.mistakes(added).mistakes()) {
            assertThat(MistakeCheck.problems(grown, added, mistake, 1, false)).isEmpty();
        }
    }

    @Test
    @DisplayName("in watch mode, the last lesson offers no next one, and n says so and stays there; q quits")
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // A JVM start and a check of the last lesson: a backstop.
    void watchLastLesson(@TempDir Path dir) throws Exception {
        List<Lesson> lessons = ShippedLessonsTest.WORKBOOK.manifest().lessons();
        Lesson last = lessons.get(lessons.size() - 1);
        Workbook copy = Workbooks.copyOf(last, dir);
        Workbook.copyTree(copy.solutionDir(last), copy.lessonDir(last));
        BlockingQueue<String> keys = new LinkedBlockingQueue<>(List.of("n", "q"));

        assertThat(new Watch(copy, new Progress(copy, out()), out(), keys, report -> { }).run(last)).isZero();

        assertThat(printed()).contains("it is the last lesson, well done!", "Lesson " + last.number() + " is the last lesson.")
                .doesNotContain("Watching lesson 1:", "n + Enter");
    }

    @Test
    @DisplayName("hints come one at a time, then all of them")
    void hints(@TempDir Path dir) throws Exception {
        Cli cli = cli(Workbooks.copyOf(REPLY, dir));

        for (int i = 0; i <= REPLY.hints().size(); i++) {
            cli.run(List.of("hint", "1"));
        }

        assertThat(printed()).contains("Hint 1 of 4 for lesson 1:", "Hint 4 of 4 for lesson 1:",
                "That was the last hint for lesson 1.");
    }

    @Test
    @DisplayName("the solution is shown only once the lesson passes, or with --force, as a diff")
    void solution(@TempDir Path dir) throws Exception {
        Cli cli = cli(Workbooks.copyOf(REPLY, dir));

        assertThat(cli.run(List.of("solution", "1"))).isEqualTo(1);
        assertThat(printed()).contains("does not pass yet");

        assertThat(cli.run(List.of("solution", "1", "--force"))).isZero();
        assertThat(printed()).contains("--- yours:", "+++ reference:", "+session.sendText(WELCOME, Sends.LOG_FAILURE);")
                .doesNotContain("TODO 1", "<1>", "tag::");
    }

    @Test
    @DisplayName("the solution diff says when the learner's code matches, comments, tags and layout aside")
    void solutionMatches(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Path endpoint = copy.lessonDir(REPLY).resolve(REPLY.edit().get(0));
        String reference = Files.readString(copy.solutionDir(REPLY).resolve(REPLY.edit().get(0)));
        // The reference as a learner may have typed it: no doc tags or callouts, comments of their own, other layout.
        Files.writeString(endpoint, reference.replaceAll("\\s*// (tag|end)::\\w+\\[]", "").replace("// <1>", "")
                .replace("session.sendText(WELCOME, Sends.LOG_FAILURE);", "session.sendText(WELCOME,   // my welcome\n  Sends.LOG_FAILURE);"));
        Cli cli = cli(copy);

        assertThat(cli.run(List.of("solution", "1", "--force"))).isZero();

        assertThat(printed()).contains("Your code matches the reference solution of lesson 1").doesNotContain("--- yours:");
    }

    @Test
    @DisplayName("reset restores the committed file and keeps the learner's version in a backup")
    void reset(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        git(dir, "init", "-q");
        git(dir, "add", ".");
        git(dir, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "shipped");
        Path file = copy.lessonDir(REPLY).resolve(REPLY.edit().get(0));
        String shipped = Files.readString(file);
        Files.writeString(file, "my work in progress");

        Path backup = Reset.reset(copy, REPLY, LocalDateTime.of(2026, 11, 24, 10, 15, 30));

        assertThat(file).hasContent(shipped);
        assertThat(backup).isEqualTo(dir.resolve(".workbook/backups/01-reply-20261124-101530"));
        assertThat(backup.resolve(REPLY.edit().get(0))).hasContent("my work in progress");
    }

    @Test
    @DisplayName("reset puts back the upstream's version even after the learner committed theirs, and restore undoes it, passed lesson and all")
    void resetAfterCommit(@TempDir Path dir) throws Exception {
        Path upstream = dir.resolve("upstream");
        Workbooks.copyOf(REPLY, upstream);
        git(upstream, "init", "-q");
        git(upstream, "add", ".");
        git(upstream, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "shipped");
        Path clone = dir.resolve("clone");
        git(dir, "clone", "-q", upstream.toString(), clone.toString());
        Workbook copy = Workbook.at(clone);
        Path file = copy.lessonDir(REPLY).resolve(REPLY.edit().get(0));
        String shipped = Files.readString(file);
        Files.writeString(file, "my work, committed");
        git(clone, "-c", "user.name=learner", "-c", "user.email=learner@localhost", "commit", "-q", "-am", "my work");
        Cli cli = cli(copy);
        new Progress(copy, out()).checked(REPLY, true);

        assertThat(cli.run(List.of("reset", "1"))).isZero();

        assertThat(file).hasContent(shipped);
        assertThat(printed()).contains("./workbook restore 1 puts it back");
        assertThat(new Progress(copy, out()).done(REPLY)).as("done, once reset").isFalse();
        assertThat(cli.run(List.of("restore", "1"))).isZero();
        assertThat(file).hasContent("my work, committed");
        assertThat(new Progress(copy, out()).done(REPLY)).as("done, once restored as it passed").isTrue();
    }

    @Test
    @DisplayName("reset outside a git clone, or restore without a backup, says so in one line, exit code 1")
    void resetRefused(@TempDir Path dir) throws Exception {
        Cli cli = cli(Workbooks.copyOf(REPLY, dir));

        assertThat(cli.run(List.of("reset", "1"))).isEqualTo(1);
        assertThat(cli.run(List.of("restore", "1"))).isEqualTo(1);

        assertThat(printed()).hasLineCount(2).contains("is not a git clone of the workbook", "has no backup");
    }

    @Test
    @DisplayName("the verdict names each task's state, the first failure in task order, and the file to edit")
    void verdict() {
        Report report = new Report(List.of(), List.of(
                new Outcome("Lesson 01 > Task 3 > json", Set.of("json"), "Expected JSON\n  -> work on TODO 3"),
                new Outcome("Lesson 01 > Task 1 > welcome", Set.of("welcome"), null),
                new Outcome("Lesson 01 > Task 2 > reply", Set.of("reply"), "Expected a reply\n  -> work on TODO 2")));

        assertThat(Verdict.format(REPLY, report)).isEqualTo("""
                Lesson 1: Reply to the client
                  [x] Task 1: Push a welcome text as soon as a client connects
                  [ ] Task 2: Answer every message, to its sender only
                  [ ] Task 3: Answer in JSON on /json

                  First failure: Lesson 01 > Task 2 > reply
                    Expected a reply
                      -> work on TODO 2

                  Edit: lessons/01-reply/src/main/java/workbook/reply/ReplyEndpoint.java""");
    }

    @Test
    @DisplayName("below the first failure, the verdict shows what that test's clients received last")
    void verdictWithTheWire() {
        Report report = new Report(List.of(), List.of(new Outcome("Lesson 01 > Task 1 > welcome", Set.of("welcome"),
                "Expected a welcome\n  -> work on TODO 1", "#1 client on /: 1 frame\n       +4 ms  close  1011")));

        assertThat(Verdict.format(REPLY, report)).contains("""
                  First failure: Lesson 01 > Task 1 > welcome
                    Expected a welcome
                      -> work on TODO 1

                  What the test's clients received last (ms after each connected):
                    #1 client on /: 1 frame
                           +4 ms  close  1011
                """);
    }

    @Test
    @DisplayName("a verdict on code that does not compile lists the errors")
    void compileErrors() {
        Report report = new Report(List.of("lessons/01-reply/src/main/java/workbook/reply/ReplyEndpoint.java:64: incompatible types"), List.of());

        assertThat(Verdict.format(REPLY, report)).isEqualTo("""
                Lesson 1: Reply to the client
                  Your code does not compile:
                    lessons/01-reply/src/main/java/workbook/reply/ReplyEndpoint.java:64: incompatible types""");
    }

    @Test
    @DisplayName("learner code that calls System.exit ends only the check's own JVM, and the verdict says so")
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // A JVM start and a check.
    void systemExit(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Workbooks.atTodo1(copy, REPLY, "System.exit(3);");

        assertThat(cli(copy).run(List.of("check", "1"))).isEqualTo(1);

        assertThat(printed()).contains("The check ended without a result (exit code 3).", "System.exit");
    }

    @Test
    @DisplayName("the progress bar and the diff")
    void barAndDiff() {
        assertThat(Cli.bar(2, 5)).isEqualTo("  [########------------] 2 of 5 lessons done");
        assertThat(LineDiff.changes(LineDiff.diff(List.of("a", "b", "c", "d", "e", "f"), List.of("a", "B", "c", "d", "e", "f")), 1))
                .containsExactly(" a", "-b", "+B", " c");
    }

    static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        assertThat(new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start().waitFor())
                .as("git %s", String.join(" ", args)).isZero();
    }
}
