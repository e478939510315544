package workbook.tool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import workbook.tool.LessonRunner;
import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Workbook;

/**
 * The load generator against the reference servers, for a second or less, without warm-up. No
 * assertion on time: only on what arrived, which a correct server delivers on any machine.
 */
@DisplayName("The bench's load generator")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    static final int CLIENTS = 5;
    static final int RATE = 100;

    @TempDir
    static Path classes;

    static Workbook workbook;

    @BeforeAll
    static void compileTheReferences() throws IOException {
        workbook = Workbook.at(Path.of(System.getProperty("workbook.root", "..")).toAbsolutePath().normalize());
        for (String id : new String[] {"02-broadcast", "04-event-driven", "06-rooms"}) {
            assertThat(new LessonRunner(workbook).compileMain(lesson(id), Code.REFERENCE, classes.resolve(id))).isEmpty();
        }
    }

    static Lesson lesson(String id) {
        return workbook.manifest().lessons().stream().filter(lesson -> lesson.id().equals(id)).findFirst().orElseThrow();
    }

    /** Runs the generator, on this thread, against the lesson's reference server. */
    static LoadGenerator.Result run(String id, int stalled, Duration window) throws Exception {
        Lesson lesson = lesson(id);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.resolve(id).toUri().toURL()}, LoadGeneratorTest.class.getClassLoader());
             Publishing publishing = Publishing.LESSONS.get(id).make(loader, lesson.server(), RATE)) {
            LoadGenerator generator = new LoadGenerator(publishing.server.start(0), publishing, CLIENTS, stalled, RATE, Duration.ZERO, window);
            try {
                generator.run();
            } finally {
                publishing.server.stop();
            }
            return generator.result();
        }
    }

    @Test
    @DisplayName("against lesson 02's reference, every client gets every message once and in order")
    void relay() throws Exception {
        Stats stats = run("02-broadcast", 0, Duration.ofSeconds(1)).stats();

        assertThat(stats.published()).isPositive();
        assertThat(stats.deliveries()).isEqualTo(CLIENTS * stats.published());
        assertThat(stats.lost()).isZero();
        assertThat(stats.duplicated()).isZero();
        assertThat(stats.reordered()).isZero();
        assertThat(stats.latency.count()).isEqualTo(stats.deliveries());
    }

    @Test
    @DisplayName("with a client that never reads, the run completes and the others get every message")
    void stalled() throws Exception {
        LoadGenerator.Result result = run("02-broadcast", 1, Duration.ofMillis(500));

        assertThat(result.stats().published()).isPositive();
        assertThat(result.stats().lost()).isZero();
        assertThat(result.dropped()).isZero();
    }

    @Test
    @DisplayName("against lesson 04's reference, the repository's updates in this JVM reach every client once and in order")
    void events() throws Exception {
        LoadGenerator.Result result = run("04-event-driven", 0, Duration.ofMillis(500));
        Stats stats = result.stats();

        assertThat(stats.published()).isPositive();
        assertThat(stats.deliveries()).isEqualTo(CLIENTS * stats.published());
        assertThat(stats.duplicated() + stats.reordered()).isZero();
        assertThat(result.serverCpuNanos()).as("the server's CPU time").isPositive();
        assertThat(result.generatorCpuNanos()).as("the generator's CPU time").isPositive();
    }

    @Test
    @DisplayName("against lesson 06's reference, clients that joined a room get every post once and in order")
    void room() throws Exception {
        LoadGenerator.Result result = run("06-rooms", 1, Duration.ofMillis(500));
        Stats stats = result.stats();

        assertThat(stats.published()).isPositive();
        assertThat(stats.deliveries()).isEqualTo(CLIENTS * stats.published());
        assertThat(stats.lost() + stats.duplicated() + stats.reordered()).isZero();
        assertThat(result.serverCpuNanos()).as("the server's CPU time, the posting thread's included").isPositive();
    }
}
