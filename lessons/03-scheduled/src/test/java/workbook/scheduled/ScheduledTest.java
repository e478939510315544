package workbook.scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static workbook.testkit.Eventually.eventually;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 3: Push on a schedule")
class ScheduledTest {

    static final Todo TODO_1 = new Todo(1, "ClockEndpoint.java");
    static final Todo TODO_2 = new Todo(2, "ClockEndpoint.java");
    static final Todo TODO_3 = new Todo(3, "ScheduledServer.java");
    static final Todo TODO_4 = new Todo(4, "ScheduledServer.java");

    /**
     * The servers' timers go by a clock the tests move (lesson.advance): a tick comes when the
     * test says, at once, and "no tick yet" is proven, not waited for. What does not tick in a
     * test is set to an hour.
     */
    static final Duration OFTEN = Duration.ofMillis(100);
    static final Duration NEVER = Duration.ofHours(1);
    static final Duration A_MILLISECOND = Duration.ofMillis(1);

    /**
     * Reads one clock tick: an ISO-8601 instant no older than {@code since}, and no later than now,
     * by the machine's clock or by the test's (a server may read either).
     */
    static Instant tick(LessonServerExtension<ScheduledServer> lesson, TestClient client, Instant since) {
        return tick(lesson, client, since, "the time, pushed by the client's clock every " + OFTEN.toMillis() + " ms", TODO_1);
    }

    static Instant tick(LessonServerExtension<ScheduledServer> lesson, TestClient client, Instant since, String expected, Todo todo) {
        String text = client.nextText(expected, todo);
        assertThatCode(() -> Instant.parse(text))
                .as(TODO_1.explain("The tick \"" + text + "\" read as an ISO-8601 time such as 2026-11-24T10:15:30.123Z"))
                .doesNotThrowAnyException();
        Instant time = Instant.parse(text);
        Instant now = Instant.now();
        Instant latest = lesson.clock().instant().isAfter(now) ? lesson.clock().instant() : now;
        assertThat(time).as(TODO_1.explain("The time in a tick: the time it was sent")).isBetween(since, latest);
        return time;
    }

    @Nested
    @Tag("clock")
    @DisplayName("Task 1: A clock for each connection")
    class Clock {

        @RegisterExtension
        final LessonServerExtension<ScheduledServer> lesson = new LessonServerExtension<>(() -> new ScheduledServer(OFTEN, NEVER))
                .onVirtualTime();

        // tag::virtual-time[]
        @Test
        @DisplayName("ticks of the current time arrive at the interval: none before the first interval ends, then one per interval, five in a row")
        void ticksAtTheRate() {
            int before = lesson.server().scheduledTasks();
            Instant start = Instant.now();
            TestClient client = lesson.connect();
            assertClockScheduled(before + 1, "one client connected");

            lesson.advance(OFTEN.minus(A_MILLISECOND), TODO_1);
            client.assertNothingMore("in the first " + OFTEN.minus(A_MILLISECOND).toMillis() + " ms after it connected", TODO_1);
            lesson.advance(A_MILLISECOND, TODO_1);
            tick(lesson, client, start);
            for (int i = 2; i <= 5; i++) {
                client.assertNothingMore("before " + i + " intervals had passed since it connected", TODO_1);
                lesson.advance(OFTEN, TODO_1);
                tick(lesson, client, start);
            }
        }
        // end::virtual-time[]

        @Test
        @DisplayName("every client gets its own clock")
        void clockEach() {
            int before = lesson.server().scheduledTasks();
            TestClient first = lesson.connect();
            TestClient second = lesson.connect();
            assertClockScheduled(before + 2, "two clients connected");

            lesson.advance(OFTEN, TODO_1);
            tick(lesson, first, Instant.EPOCH);
            tick(lesson, second, Instant.EPOCH);
            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_1.explain("Timers waiting to run: " + before + " before two clients connected, then, after a tick each"))
                    .isEqualTo(before + 2);
        }

        /**
         * No need to wait for a tick to see the clock: a connect returns once @OnWebSocketOpen
         * has, and a stub that schedules nothing fails here at once.
         */
        void assertClockScheduled(int expected, String when) {
            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_1.explain("Timers waiting to run once " + when + " (each connection's clock is scheduled in @OnWebSocketOpen)"))
                    .isEqualTo(expected);
        }
    }

    @Nested
    @Tag("cancel")
    @DisplayName("Task 2: Stop the clock when its connection ends")
    class Cancel {

        @RegisterExtension
        final LessonServerExtension<ScheduledServer> lesson = new LessonServerExtension<>(() -> new ScheduledServer(OFTEN, NEVER))
                .onVirtualTime();

        @Test
        @DisplayName("after a client closes, no timer is left for it")
        void cancelOnClose() {
            int before = lesson.server().scheduledTasks();
            TestClient leaving = lesson.connect();
            TestClient staying = lesson.connect();
            lesson.advance(OFTEN, TODO_1);
            tick(lesson, leaving, Instant.EPOCH);
            tick(lesson, staying, Instant.EPOCH);

            // close() returns once the server's @OnWebSocketClose has: no need to wait.
            leaving.close();

            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_2.explain("Timers waiting to run: " + before + " before two clients connected, and once one has closed"))
                    .isEqualTo(before + 1);
            lesson.advance(OFTEN, TODO_2);
            tick(lesson, staying, Instant.EPOCH, "the time on the client that stayed: its clock ticks on when another client closes"
                    + " (the close cancels the closing connection's own timer)", TODO_2);
        }

        @Test
        @DisplayName("after a client vanishes without a close frame, no timer is left for it")
        void cancelOnVanish() {
            int before = lesson.server().scheduledTasks();
            TestClient client = lesson.connect();
            lesson.advance(OFTEN, TODO_1);
            tick(lesson, client, Instant.EPOCH);

            client.vanish();

            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_2.explain("Timers waiting to run: " + before + " before a client connected, and once it has vanished"))
                    .isEqualTo(before);
        }
    }

    @Nested
    @Tag("updates")
    @DisplayName("Task 3: A JSON update for everyone, from one timer")
    class Updates {

        @RegisterExtension
        final LessonServerExtension<ScheduledServer> lesson = new LessonServerExtension<>(() -> new ScheduledServer(NEVER, OFTEN))
                .onVirtualTime();

        @Test
        @DisplayName("every client receives {\"type\":\"update\",\"value\":<number>,\"timestamp\":<epoch ms>}, one per interval")
        void updatesForAll() {
            long before = System.currentTimeMillis();
            List<TestClient> clients = List.of(lesson.connect(), lesson.connect());

            for (int round = 1; round <= 2; round++) {
                lesson.advance(OFTEN, TODO_3);
                for (TestClient client : clients) {
                    JsonNode update = Json.object(client.nextText("a scheduled update, every " + OFTEN.toMillis() + " ms", TODO_3), TODO_3);
                    assertThat(update.path("type").asText()).as(TODO_3.explain("The update's \"type\", in " + update)).isEqualTo("update");
                    assertThat(update.path("value").isNumber()).as(TODO_3.explain("Whether \"value\" is a number, in " + update)).isTrue();
                    assertThat(update.path("timestamp").asLong())
                            .as(TODO_3.explain("The update's \"timestamp\", in epoch milliseconds, in " + update))
                            .isBetween(before, Math.max(System.currentTimeMillis(), lesson.clock().millis()));
                    client.assertNothingMore("after " + round + " update" + (round == 1 ? "" : "s") + " in " + round
                            + " interval" + (round == 1 ? "" : "s"), TODO_3);
                }
            }
        }

        @Test
        @DisplayName("one timer, scheduled at start, serves all clients")
        void oneTimer() {
            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_3.explain("Timers waiting to run once the server has started, before any client: the update timer"))
                    .isEqualTo(1);
        }
    }

    @Nested
    @Tag("shutdown")
    @DisplayName("Task 4: Stop the scheduler with the server")
    class Shutdown {

        @RegisterExtension
        final LessonServerExtension<ScheduledServer> lesson = new LessonServerExtension<>(() -> new ScheduledServer(OFTEN, OFTEN))
                .onVirtualTime();

        @Test
        @DisplayName("after stop() the scheduler has ended, its thread gone")
        void schedulerEnds() throws Exception {
            lesson.connect();

            lesson.server().stop();

            eventually(() -> assertThat(lesson.server().isSchedulerTerminated())
                    .as(TODO_4.explain("Whether the scheduler has ended after stop()")).isTrue());
        }
    }
}
