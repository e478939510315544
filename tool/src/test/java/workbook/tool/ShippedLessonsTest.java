package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;
import workbook.tool.dev.LessonCheck;
import workbook.tool.dev.MistakeCheck;

/** The maintainers' check of every lesson the manifest lists, as shipped. */
@DisplayName("Shipped lessons")
class ShippedLessonsTest {

    static final Workbook WORKBOOK = Workbooks.shipped();

    @Test
    @DisplayName("each lesson's id starts with its place in the manifest, and its pom says the same id")
    void identity() throws IOException {
        List<Lesson> lessons = WORKBOOK.manifest().lessons();
        for (int i = 0; i < lessons.size(); i++) {
            Lesson lesson = lessons.get(i);
            assertThat(lesson.id()).as("the id of lesson %d", i + 1).matches(String.format("%02d-[a-z-]+", i + 1));
            String pom = Files.readString(WORKBOOK.lessonDir(lesson).resolve("pom.xml"));
            assertThat(pom).as("lessons/%s/pom.xml", lesson.id())
                    .contains("<artifactId>lesson-" + lesson.id() + "</artifactId>", "<lesson.id>" + lesson.id() + "</lesson.id>");
        }
    }

    @Test
    @DisplayName("lessons/pom.xml builds the manifest's lessons, in its order")
    void modulesFollowTheManifest() throws IOException {
        Matcher module = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(WORKBOOK.root().resolve("lessons/pom.xml")));
        List<String> modules = module.results().map(match -> match.group(1)).toList();

        assertThat(modules).isEqualTo(WORKBOOK.manifest().lessons().stream().map(Lesson::id).toList());
    }

    @Test
    @DisplayName("what to try on each live page names the port the server was given, not the default")
    void pagesNameTheirPort() {
        for (Lesson lesson : WORKBOOK.manifest().lessons()) {
            assertThat(lesson.page(9000)).as("what ./workbook serve %d --port 9000 prints to try (the manifest's page: {port})",
                    lesson.number()).doesNotContain("8080", "8081", "{port");
        }
        Lesson scaleOut = WORKBOOK.manifest().lessons().get(10);
        assertThat(scaleOut.page(9000)).contains("on port 9000 and 9001");
    }

    /**
     * The lessons at odd places here, the others in {@link ShippedEvenLessonsTest}: the tool's two
     * test JVMs check them side by side, for a check mostly waits (on servers, for silences).
     */
    @TestFactory
    Stream<DynamicNode> eachOddLesson() {
        return eachLesson(lesson -> lesson.number() % 2 == 1);
    }

    static Stream<DynamicNode> eachLesson(Predicate<Lesson> which) {
        LessonRunner runner = new LessonRunner(WORKBOOK);
        // -Dworkbook.lessons=02-broadcast,05-binary checks only those, e.g. while writing their mistakes.
        List<String> only = List.of(System.getProperty("workbook.lessons", "").split(","));
        return WORKBOOK.manifest().lessons().stream().filter(which)
                .filter(lesson -> only.equals(List.of("")) || only.contains(lesson.id())).map(lesson -> dynamicContainer(lesson.id(), Stream.of(
                dynamicTest("the solution holds exactly the files the learner edits, and its known mistakes", () -> {
                    Path solution = WORKBOOK.solutionDir(lesson);
                    try (Stream<Path> files = Files.walk(solution)) {
                        assertThat(files.filter(Files::isRegularFile).map(file -> solution.relativize(file).toString()))
                                .containsExactlyInAnyOrderElementsOf(Stream.concat(lesson.edit().stream(), Stream.of(Workbook.MISTAKES)).toList());
                    }
                    lesson.edit().forEach(file -> assertThat(WORKBOOK.lessonDir(lesson).resolve(file)).isRegularFile());
                }),
                dynamicTest("the stub fails at least one test of each task", () ->
                        assertThat(LessonCheck.stubProblems(lesson, runner.runEachTaskUntilItFails(lesson, Code.LEARNER))).isEmpty()),
                dynamicTest("the solution passes every test", () ->
                        assertThat(LessonCheck.solutionProblems(lesson, runner.run(lesson, Code.REFERENCE))).isEmpty()),
                dynamicContainer("known mistakes", knownMistakes(lesson)))));
    }

    /** How often to run each mistake: as its entry says, or as -Dworkbook.mistake.runs=N says for all. */
    static final Integer RUNS = Integer.getInteger("workbook.mistake.runs");
    /** -Dworkbook.mistakes=hash-set,late-read runs only those mistakes, e.g. to measure them 100 times. */
    static final List<String> ONLY_MISTAKES = List.of(System.getProperty("workbook.mistakes", "").split(","));
    /** -Dworkbook.mistakes.record: write what the check says into each entry's verdict, where it differs. */
    static final boolean RECORD = System.getProperty("workbook.mistakes.record") != null;
    static final AtomicInteger REJECTED = new AtomicInteger();
    static final AtomicInteger MISTAKES = new AtomicInteger();
    static final AtomicInteger RUNS_DONE = new AtomicInteger();

    /** Every known mistake of the lesson fails its tests, every run, with the verdict its entry records. */
    static Stream<DynamicNode> knownMistakes(Lesson lesson) {
        Mistakes corpus = read(lesson);
        Stream<DynamicNode> size = Stream.of(dynamicTest("the corpus has at least " + MistakeCheck.AT_LEAST
                + " mistakes, each editing the learner's files", () -> assertThat(MistakeCheck.corpusProblems(lesson, corpus)).isEmpty()));
        return Stream.concat(size, corpus.mistakes().stream()
                .filter(mistake -> ONLY_MISTAKES.equals(List.of("")) || ONLY_MISTAKES.contains(mistake.id()))
                .map(mistake -> dynamicTest(mistake.id() + ": " + mistake.title(), () -> {
                    MISTAKES.incrementAndGet();
                    int runs = RUNS != null ? RUNS : mistake.runs();
                    assertThat(MistakeCheck.problems(WORKBOOK, lesson, mistake, runs, RECORD)).isEmpty();
                    RUNS_DONE.addAndGet(runs);
                    REJECTED.incrementAndGet();
                })));
    }

    static Mistakes read(Lesson lesson) {
        try {
            return WORKBOOK.mistakes(lesson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void count() {
        printCount("odd");
    }

    /** The mistakes this JVM checked: the build's output says how many, and in how many runs. */
    static void printCount(String lessons) {
        System.out.printf("Known mistakes of the %s lessons: %d of %d rejected, in %d runs of the lessons' tests%n", lessons,
                REJECTED.get(), MISTAKES.get(), RUNS_DONE.get());
    }
}
