package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;

/** The maintainers' check of every lesson the manifest lists, as shipped. */
@DisplayName("Shipped lessons")
class ShippedLessonsTest {

    static final Workbook WORKBOOK = Workbooks.shipped();

    @Test
    @DisplayName("the manifest numbers the lessons 1, 2, 3... and each id starts with its number")
    void numbering() {
        List<Lesson> lessons = WORKBOOK.manifest().lessons();
        IntStream.range(0, lessons.size()).forEach(i -> {
            assertThat(lessons.get(i).number()).as("number of lesson %s", lessons.get(i).id()).isEqualTo(i + 1);
            assertThat(lessons.get(i).id()).matches(String.format("%02d-[a-z-]+", i + 1));
        });
    }

    @Test
    @DisplayName("lessons/pom.xml builds the manifest's lessons, in its order")
    void modulesFollowTheManifest() throws IOException {
        Matcher module = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(WORKBOOK.root().resolve("lessons/pom.xml")));
        List<String> modules = module.results().map(match -> match.group(1)).toList();

        assertThat(modules).isEqualTo(WORKBOOK.manifest().lessons().stream().map(Lesson::id).toList());
    }

    @TestFactory
    Stream<DynamicNode> eachLesson() {
        LessonRunner runner = new LessonRunner(WORKBOOK);
        return WORKBOOK.manifest().lessons().stream().map(lesson -> dynamicContainer(lesson.id(), Stream.of(
                dynamicTest("the solution holds exactly the files the learner edits", () -> {
                    Path solution = WORKBOOK.solutionDir(lesson);
                    try (Stream<Path> files = Files.walk(solution)) {
                        assertThat(files.filter(Files::isRegularFile).map(file -> solution.relativize(file).toString()))
                                .containsExactlyInAnyOrderElementsOf(lesson.edit());
                    }
                    lesson.edit().forEach(file -> assertThat(WORKBOOK.lessonDir(lesson).resolve(file)).isRegularFile());
                }),
                dynamicTest("the stub fails at least one test of each task", () ->
                        assertThat(LessonCheck.stubProblems(lesson, runner.run(lesson, Code.LEARNER))).isEmpty()),
                dynamicTest("the solution passes every test", () ->
                        assertThat(LessonCheck.solutionProblems(lesson, runner.run(lesson, Code.REFERENCE))).isEmpty()))));
    }
}
