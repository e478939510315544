package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import workbook.tool.Manifest.Lesson;

/** The JVM a check runs in: whatever the learner's code does there, the workbook goes on, and nothing is left behind. */
@DisplayName("The check's own JVM")
class WorkerTest {

    static final Lesson REPLY = CliTest.REPLY;
    static final Lesson SCALE_OUT = ShippedLessonsTest.WORKBOOK.manifest().lessons().stream()
            .filter(lesson -> lesson.id().equals("11-scale-out")).findFirst().orElseThrow();

    @Test
    @DisplayName("watch mode's worker stops at the first failing task, and survives System.exit")
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // Three JVM starts and three checks.
    void worker(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);

        try (Worker worker = new Worker(copy)) {
            Report stubReport = worker.check(REPLY);
            assertThat(stubReport.outcomes()).isNotEmpty().allMatch(outcome -> outcome.tags().contains("welcome"));
            assertThat(Verdict.format(REPLY, stubReport)).contains("[ ] Task 1:", "[?] Task 2:", "(not checked yet)",
                    "What the test's clients received last", "#1 client on /: nothing");

            Workbooks.atTodo1(copy, REPLY, "System.exit(3);");
            assertThatThrownBy(() -> worker.check(REPLY)).isInstanceOf(Worker.NoReport.class).hasMessageContaining("System.exit");

            Workbook.copyTree(copy.solutionDir(REPLY), copy.lessonDir(REPLY));
            Report solution = worker.check(REPLY);
            assertThat(solution.passed()).as("the check after a restart, on the solution:%n%s", Verdict.format(REPLY, solution)).isTrue();
        }
    }

    @Test
    @DisplayName("a check whose code loops forever leaves nothing running: its worker JVM ends with it")
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void endlessLoop(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Workbooks.atTodo1(copy, REPLY, "while (session != null) { }");

        // The loop keeps the welcome from coming: the test waits 1 s for it, not the learner's 10.
        try (Worker worker = new Worker(copy, List.of("-Dworkbook.wait.seconds=1"))) {
            Report report = worker.check(REPLY);

            assertThat(report.passed()).isFalse();
            assertThat(report.codeLeftRunning()).as("whether the check saw the loop still running").isTrue();
            assertThat(worker.isRunning()).as("whether the worker, and the loop in it, still run").isFalse();
        }
    }

    @Test
    @DisplayName("a check of lesson 11, whose tests start a Redis, leaves nothing running, nor in the temp directory, though its JVM is stopped")
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // A JVM start and a check: a backstop.
    void nothingLeftInTemp(@TempDir Path dir) throws Exception {
        Workbook copy = Workbooks.copyOf(SCALE_OUT, dir.resolve("workbook"));
        Path temp = Files.createDirectory(dir.resolve("temp"));

        // The stub's tests start the Redis before they fail; the worker is stopped, not ended, after.
        try (Worker worker = new Worker(copy, List.of("-Djava.io.tmpdir=" + temp))) {
            Report report = worker.check(SCALE_OUT);
            assertThat(report.outcomes()).as("the stub's verdict, from a test that ran with Redis up")
                    .anyMatch(outcome -> outcome.failure() != null && !outcome.failure().contains("Redis could not start"));
            // Nor does the Redis leave a thread of the lesson's running, which would cost watch mode its warm JVM.
            assertThat(report.codeLeftRunning()).as("whether the lesson's code was left running after the check").isFalse();
        }

        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("what the check left in its JVM's temp directory").isEmpty();
        }
    }
}
