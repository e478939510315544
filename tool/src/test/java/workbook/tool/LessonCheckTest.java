package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Manifest.Task;
import workbook.tool.Report.Outcome;
import workbook.tool.dev.LessonCheck;

/** The check itself: it must report each way a lesson can be broken. */
@DisplayName("The lesson check")
// Each test compiles a lesson and runs its tests: the 20 s of a lesson test's own limit is short for
// that on a busy machine. A backstop, not a verdict.
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LessonCheckTest {

    static final Lesson REPLY = ShippedLessonsTest.WORKBOOK.manifest().lessons().get(0);

    @Test
    @DisplayName("reports a stub that passes: the solution copied over the stub passes every task")
    void stubMadeToPass(@TempDir Path dir) throws IOException {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Workbook.copyTree(copy.solutionDir(REPLY), copy.lessonDir(REPLY));

        List<String> problems = LessonCheck.stubProblems(REPLY, new LessonRunner(copy).run(REPLY, Code.LEARNER));

        assertThat(problems).hasSize(REPLY.tasks().size());
        REPLY.tasks().forEach(task -> assertThat(problems)
                .anyMatch(problem -> problem.contains("the stub passes every test of task '" + task.id() + "'")));
    }

    @Test
    @DisplayName("reports a task's tests named otherwise than the manifest names the task")
    void taskNamedOtherwise(@TempDir Path dir) throws IOException {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Path tests = copy.lessonDir(REPLY).resolve("src/test/java/workbook/reply/ReplyTest.java");
        String title = REPLY.tasks().get(1).title();
        Files.writeString(tests, Files.readString(tests).replace("Task 2: " + title, "Task 2: reply to the sender"));

        List<String> problems = LessonCheck.solutionProblems(REPLY, new LessonRunner(copy).run(REPLY, Code.REFERENCE));

        assertThat(problems).containsExactly("01-reply: the tests of task '" + REPLY.tasks().get(1).id() + "' are in"
                + " 'Task 2: reply to the sender', the manifest says 'Task 2: " + title + "': write @DisplayName(\"Task 2: " + title + "\")");
    }

    @Test
    @DisplayName("reports a solution that fails, naming the test and its message")
    void solutionThatFails(@TempDir Path dir) throws IOException {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        // A solution whose JSON task is undone again (it fails fast: no test waits for a message).
        Path endpoint = copy.solutionDir(REPLY).resolve(REPLY.edit().get(0));
        String solved = Files.readString(endpoint);
        Files.writeString(endpoint, solved.replaceFirst("return MAPPER\\.writeValueAsString\\(.*\\);", "return \"{}\";"));

        List<String> problems = LessonCheck.solutionProblems(REPLY, new LessonRunner(copy).run(REPLY, Code.REFERENCE));

        assertThat(problems).isNotEmpty().allMatch(problem -> problem.contains("the solution fails '")
                && problem.contains("Task 3: Answer in JSON on /json") && problem.contains("TODO 3"));
    }

    @Test
    @DisplayName("reports a compile error with the file, the line and javac's message")
    void compileError(@TempDir Path dir) throws IOException {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Path endpoint = copy.lessonDir(REPLY).resolve(REPLY.edit().get(0));
        Files.writeString(endpoint, Files.readString(endpoint).replace("return \"{}\";", "return 42;"));

        Report report = new LessonRunner(copy).run(REPLY, Code.LEARNER);

        assertThat(report.compiled()).isFalse();
        assertThat(report.compileErrors()).singleElement().asString()
                .startsWith("lessons/01-reply/" + REPLY.edit().get(0) + ":")
                .contains("incompatible types");
        assertThat(LessonCheck.stubProblems(REPLY, report)).singleElement().asString().contains("the stub must compile");
    }

    @Test
    @DisplayName("a check stops at the first failing test; the stub's check, at the first of each task")
    void stopsAtTheFirstFailure() throws IOException {
        LessonRunner runner = new LessonRunner(ShippedLessonsTest.WORKBOOK);

        Report every = runner.run(REPLY, Code.LEARNER);
        Report check = runner.runUntilFirstFailure(REPLY, Code.LEARNER);
        Report stub = runner.runEachTaskUntilItFails(REPLY, Code.LEARNER);

        assertThat(check.outcomes()).as("a check's tests").filteredOn(outcome -> !outcome.passed()).hasSize(1);
        assertThat(check.outcomes().get(check.outcomes().size() - 1).passed()).as("whether the last test run passed").isFalse();
        for (Task task : REPLY.tasks()) {
            List<Outcome> tests = stub.of(task);
            assertThat(tests).as("the tests of task '%s' in the stub's check", task.id()).filteredOn(outcome -> !outcome.passed()).hasSize(1);
            assertThat(tests.get(tests.size() - 1).passed()).as("whether the last test of task '%s' passed", task.id()).isFalse();
        }
        // The stub fails more tests than one a task: the checks above did stop.
        assertThat(every.outcomes()).filteredOn(outcome -> !outcome.passed()).hasSizeGreaterThan(REPLY.tasks().size());
    }

    @Test
    @DisplayName("reports a task without tests and a tag that names no task")
    void tagsAndTasks() {
        Report report = new Report(List.of(), List.of(
                new Outcome("a > b", Set.of("welcome"), "failed"),
                new Outcome("a > c", Set.of("reply"), "failed"),
                new Outcome("a > d", Set.of("jsno"), "failed")));

        assertThat(LessonCheck.stubProblems(REPLY, report)).containsExactlyInAnyOrder(
                "01-reply: 'a > d' has the tag 'jsno', which is no task of the lesson (tasks: [welcome, reply, json])",
                "01-reply: task 'json' has no tests: tag them @Tag(\"json\")");
    }
}
