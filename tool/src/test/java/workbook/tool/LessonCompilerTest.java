package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;

/**
 * The compiled tests a check keeps: used again only while what their compilation read is the same,
 * or the verdict would be about code the learner no longer has.
 */
@DisplayName("The kept compilation of a lesson's tests")
// Each test compiles a lesson and runs its tests: see LessonCheckTest. A backstop, not a verdict.
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LessonCompilerTest {

    private static final Lesson REPLY = LessonCheckTest.REPLY;

    @Test
    @DisplayName("is used again when only a method's body changed, and the verdict follows the new body")
    void bodyChanged(@TempDir Path dir) throws IOException {
        Report report = checkAfterEdit(dir, "session.sendText(WELCOME,", "session.sendText(WELCOME.toUpperCase(),");

        assertThat(report.passed()).as("the verdict on a welcome in upper case").isFalse();
        assertThat(kept(dir)).as("the compilations kept").hasSize(1);
    }

    @Test
    @DisplayName("is compiled again when a constant the tests use changed: javac copied its old value into them")
    void constantChanged(@TempDir Path dir) throws IOException {
        Report report = checkAfterEdit(dir, "static final String WELCOME = \"", "static final String WELCOME = \"Hello! ");

        assertThat(report.outcomes()).as("the tests of the welcome, which expect WELCOME as it is now")
                .filteredOn(outcome -> outcome.name().contains("welcome")).isNotEmpty().allMatch(Report.Outcome::passed);
        assertThat(kept(dir)).as("the compilations kept").hasSize(2);
    }

    @Test
    @DisplayName("is compiled again when a member the tests use is gone, and the error names the test's line")
    void memberGone(@TempDir Path dir) throws IOException {
        Report report = checkAfterEdit(dir, "jsonReply(", "asJson(");

        assertThat(report.compileErrors()).isNotEmpty()
                .allMatch(error -> error.startsWith("lessons/01-reply/src/test/java/workbook/reply/ReplyTest.java:"));
    }

    /**
     * Checks a copy of lesson 01 whose learner's code is the reference solution, which passes;
     * then replaces {@code from} with {@code to} in its endpoint, and checks it again.
     */
    private static Report checkAfterEdit(Path dir, String from, String to) throws IOException {
        Workbook copy = Workbooks.copyOf(REPLY, dir);
        Workbook.copyTree(copy.solutionDir(REPLY), copy.lessonDir(REPLY));
        assertThat(new LessonRunner(copy).runUntilFirstFailure(REPLY, Code.LEARNER).passed()).as("the first check").isTrue();

        Path endpoint = copy.lessonDir(REPLY).resolve(REPLY.edit().get(0));
        String code = Files.readString(endpoint);
        assertThat(code).as("the reference's endpoint").contains(from);
        Files.writeString(endpoint, code.replace(from, to));
        return new LessonRunner(copy).runUntilFirstFailure(REPLY, Code.LEARNER);
    }

    private static List<Path> kept(Path dir) throws IOException {
        try (Stream<Path> kept = Files.list(dir.resolve(".workbook/compiled-tests"))) {
            return kept.toList();
        }
    }
}
