package workbook.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Eventually.eventually;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Close;
import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.Payloads;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 12: The whole article's server, in one Jetty server done right")
// A task's classes in a fixed order, so that a mistake always fails the same test first.
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class CapstoneTest {

    static final Todo TODO_1 = new Todo(1, "CapstoneEndpoint.java");
    static final Todo TODO_2 = new Todo(2, "CapstoneServer.java");
    static final Todo TODO_3 = new Todo(3, "CapstoneEndpoint.java");
    static final Todo TODO_4 = new Todo(4, "CapstoneEndpoint.java");
    static final Todo TODO_5 = new Todo(5, "CapstoneServer.java");
    static final Todo OPEN = Todo.given("CapstoneEndpoint.java (onOpen)");
    static final Todo BINARY = Todo.given("CapstoneEndpoint.java (onBinary)");

    /**
     * The timer under test every 50 ms, the others every hour. Where a test waits for a timer, the
     * server's timers go by a clock the test moves (lesson.advance, see lesson 03): a tick comes when
     * the test says, at once, and "nothing more" is proven, not waited for.
     */
    static final Duration OFTEN = Duration.ofMillis(50);
    static final Duration NEVER = Duration.ofHours(1);

    /** For upgrade requests whose HTTP answer the test reads: Jetty's client says less about a refusal. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A server whose timers fire only when a test wants them to: the others wait an hour. */
    static LessonServerExtension<CapstoneServer> server(Duration tick, Duration update, Duration ping) {
        return new LessonServerExtension<>(() -> new CapstoneServer(tick, update, ping));
    }

    /** {@code client}, once it has read the welcome and the bytes that every client gets first. */
    static TestClient joined(TestClient client) {
        assertThat(client.nextText("the welcome text, first", OPEN)).as(OPEN.explain("The first message after connecting"))
                .isEqualTo(CapstoneEndpoint.WELCOME);
        Payloads.assertEqual("the bytes 0, 1, 2, 3, 4 right after the welcome", new byte[] {0, 1, 2, 3, 4},
                client.nextBinary("the bytes 0, 1, 2, 3, 4 right after the welcome", OPEN), OPEN);
        return client;
    }

    /** The same for a client on a plain socket, which answers a ping only when the test says. */
    static SlowClient joined(SlowClient client) {
        assertThat(client.nextText("the welcome text, first", OPEN)).as(OPEN.explain("The first message after connecting"))
                .isEqualTo(CapstoneEndpoint.WELCOME);
        Payloads.assertEqual("the bytes 0, 1, 2, 3, 4 right after the welcome", new byte[] {0, 1, 2, 3, 4},
                client.nextBinary("the bytes 0, 1, 2, 3, 4 right after the welcome", OPEN), OPEN);
        return client;
    }

    /** Timers other than the ticks and the heartbeats: the update's, and any that should not be there. */
    static int otherTimers(CapstoneServer server) {
        return server.scheduledTasks() - server.liveTicks() - server.heartbeatCount();
    }

    @Nested
    @Order(1)
    @Tag("tick")
    @DisplayName("Task 1: Give each client a tick of its own, and end it with the connection")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Ticks {

        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(OFTEN, NEVER, NEVER).onVirtualTime();

        /**
         * The next text but updates: those are task 2's, whose mistakes (an interval in the wrong
         * unit, say) its own tests report, not this task's.
         */
        String nextTick(TestClient client, String expected) {
            String text = client.nextText(expected, TODO_1);
            while (Incoming.parse(text) != null && Incoming.parse(text).type().equals("update")) {
                text = client.nextText(expected, TODO_1);
            }
            return text;
        }

        @Test
        @Order(1)
        @DisplayName("a client gets the welcome first, then the bytes, then the time every tick")
        void ticks() {
            TestClient client = joined(lesson.connect());

            for (int i = 1; i <= 2; i++) {
                lesson.advance(OFTEN, TODO_1);
                String tick = nextTick(client, "tick " + i + " of this client, the time every " + OFTEN.toMillis() + " ms");
                try {
                    Instant.parse(tick);
                } catch (DateTimeParseException e) {
                    fail("Expected tick %d to be the time as ISO-8601 text (Instant.now().toString()), but got: %s%n  -> %s",
                            i, tick, TODO_1);
                }
            }
        }

        @Test
        @Order(2)
        @DisplayName("a client that closes or vanishes leaves no tick behind, and the others tick on")
        void noTickLeft() {
            TestClient stays = joined(lesson.connect());
            TestClient polite = lesson.connect();
            TestClient crashing = lesson.connect();
            // No wait: a connect returns once the server's onOpen has run.
            assertThat(lesson.server().liveTicks())
                    .as(TODO_1.explain("Ticks once three clients connected (one each, from server.everyTick in onOpen)"))
                    .isEqualTo(3);

            polite.close();
            crashing.vanish();

            assertThat(lesson.server().liveTicks())
                    .as(TODO_1.explain("Ticks once two of the three clients have gone, one closed, one dropped"
                            + " (cancel the tick in onClose)")).isEqualTo(1);
            lesson.advance(OFTEN, TODO_1);
            nextTick(stays, "a tick after the others have gone");
        }
    }

    @Nested
    @Order(2)
    @Tag("pushes")
    @DisplayName("Task 2: One update timer for all clients, and the program's events pushed to all")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Updates {

        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(NEVER, OFTEN, NEVER).onVirtualTime();

        @Test
        @Order(1)
        @DisplayName("the server has one update timer, whatever the number of clients")
        void oneTimer() {
            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_2.explain("Timers of the server once started, before any client connected: the update's"
                            + " (one for every client, scheduled in start)")).isEqualTo(1);

            for (int i = 0; i < 3; i++) {
                lesson.connect();
            }

            assertThat(otherTimers(lesson.server()))
                    .as(TODO_2.explain("Timers beside the ticks and the heartbeats, with three clients: still the update's alone"))
                    .isEqualTo(1);
        }

        @Test
        @Order(2)
        @DisplayName("every client gets the update as JSON, {type: update, value, timestamp}, once every interval")
        void updates() {
            // What a real clock runs while the server starts and clients connect: an update due at
            // once goes to no one.
            lesson.advance(Duration.ZERO, TODO_2);
            List<TestClient> clients = List.of(joined(lesson.connect()), joined(lesson.connect()));
            long start = System.currentTimeMillis();

            // A short step first: a timer far too frequent (a number of milliseconds read as
            // nanoseconds) shows in a hundred of its runs, not in a million. Counted, not shown:
            // an update's random value would make the verdict differ from run to run.
            Duration step = OFTEN.dividedBy(10_000);
            lesson.advance(step, TODO_2);
            for (TestClient client : clients) {
                client.awaitHandled();
                assertThat(client.received() == 2).as(TODO_2.explain("Whether no update had come (only the welcome and the"
                        + " bytes) in the first " + step.toNanos() / 1000 + " µs, long before the first was due, one every "
                        + OFTEN.toMillis() + " ms")).isTrue();
            }
            lesson.advance(OFTEN.minus(step), TODO_2);
            for (int round = 1; round <= 2; round++) {
                if (round > 1) {
                    lesson.advance(OFTEN, TODO_2);
                }
                String expected = round == 1 ? "the first update, " + OFTEN.toMillis() + " ms (updateEvery) after the server started"
                        : "update " + round + ", another " + OFTEN.toMillis() + " ms later: its timer runs again and again";
                for (TestClient client : clients) {
                    JsonNode update = Json.object(client.nextText(expected, TODO_2), TODO_2);
                    assertThat(update.path("type").asText()).as(TODO_2.explain("The update's type in " + update)).isEqualTo("update");
                    assertThat(update.path("value").isInt()).as(TODO_2.explain("Whether the update's value is a number: " + update))
                            .isTrue();
                    assertThat(update.path("timestamp").asLong())
                            .as(TODO_2.explain("The update's timestamp, in milliseconds since 1970: " + update))
                            .isBetween(start, System.currentTimeMillis());
                    client.assertNothingMore("after update " + round + ", before the next was due", TODO_2);
                }
            }
        }
    }

    @Nested
    @Order(3)
    @Tag("pushes")
    @DisplayName("Task 2: One update timer for all clients, and the program's events pushed to all: stop() ends them")
    class Stop {

        /** On the machine's clock: stop() must end timers that really run. */
        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(OFTEN, OFTEN, NEVER)
                .pushingOnItsOwn(server -> server.scheduledTasks() > 0);

        @Test
        @DisplayName("stop() closes every client with 1001 (going away), and ends every timer")
        void stopped() throws Exception {
            TestClient client = joined(lesson.connect());

            lesson.server().stop();

            Close close = client.awaitClose("the server to close the connection on stop(), with 1001");
            assertThat(close.code()).as(Todo.given("CapstoneServer.java (stop)").explain("The close code on stop(): " + close))
                    .isEqualTo(1001);
            // Its thread ends soon after shutdownNow, not at once: on a busy machine, later.
            eventually(() -> assertThat(lesson.server().isSchedulerTerminated())
                    .as(Todo.given("CapstoneServer.java (stop)").explain("Whether the scheduler ended with stop()")).isTrue());
            assertThat(lesson.server().events().listenerCount())
                    .as(TODO_2.explain("Listeners of the program's events after stop(): none, or the events go on calling a"
                            + " stopped server (keep what events.subscribe returns in unsubscribe, which stop() runs)"))
                    .isZero();
        }
    }

    @Nested
    @Order(4)
    @Tag("pushes")
    @DisplayName("Task 2: One update timer for all clients, and the program's events pushed to all: the events")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Events {

        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(NEVER, NEVER, NEVER);

        @Test
        @Order(1)
        @DisplayName("each event of the program goes to every client as JSON, {type: new-data, data, timestamp}")
        void events() {
            List<TestClient> clients = List.of(joined(lesson.connect()), joined(lesson.connect()));
            long start = System.currentTimeMillis();

            lesson.server().events().emit("row 7 saved");

            for (TestClient client : clients) {
                JsonNode event = Json.object(client.nextText("the event \"row 7 saved\" as JSON", TODO_2), TODO_2);
                assertThat(event.path("type").asText()).as(TODO_2.explain("The event's type in " + event)).isEqualTo("new-data");
                assertThat(event.path("data").asText()).as(TODO_2.explain("The event's data in " + event)).isEqualTo("row 7 saved");
                assertThat(event.path("timestamp").asLong()).as(TODO_2.explain("The event's timestamp: " + event))
                        .isBetween(start, System.currentTimeMillis());
            }
        }

        @Test
        @Order(2)
        @DisplayName("a client that reads nothing holds a bounded queue, and the others get every event")
        void bounded() {
            TestClient reader = joined(lesson.connect());
            SlowClient stalled = lesson.connectSlow();
            int count = 2_500;
            int batch = 500;

            // In batches that the reader reads before the next: it never falls 1000 behind, the other always does.
            for (int first = 1; first <= count; first += batch) {
                for (int i = first; i < first + batch; i++) {
                    lesson.server().events().emit("event " + i + " ");
                }
                for (int i = first; i < first + batch; i++) {
                    JsonNode event = Json.object(reader.nextText("event " + i + " of " + count, TODO_2), TODO_2);
                    assertThat(event.path("data").asText())
                            .as(TODO_2.explain("Event " + i + " of " + count + ", while another client read nothing"))
                            .startsWith("event " + i + " ");
                }
            }
            assertThat(stalled.closeAndCount()).as(TODO_2.explain("The messages the server still held for the client that"
                    + " read nothing, of " + count + " events: at most what the kit's bound of 1000 queued messages lets wait,"
                    + " and the network's few KiB (keep the kit's setMaxOutgoingFrames)")).isLessThan(1_750);
        }
    }

    @Nested
    @Order(5)
    @Tag("answers")
    @DisplayName("Task 3: Answer a text with a quote and JSON with JSON, and broadcast on request")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Answers {

        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(NEVER, NEVER, NEVER);

        @Test
        @Order(1)
        @DisplayName("a plain text is answered with a text that quotes it, to its sender only")
        void quoted() {
            TestClient alice = joined(lesson.connect());
            TestClient bob = joined(lesson.connect());

            alice.send("hello");
            assertThat(alice.nextText("the answer to \"hello\"", TODO_3)).as(TODO_3.explain("The answer to the text \"hello\""))
                    .isEqualTo("You sent: \"hello\"");
            bob.send("hi");

            // Had alice's answer gone to bob too, it would come before his own: it was sent first.
            assertThat(bob.nextText("the answer to bob's \"hi\"", TODO_3))
                    .as(TODO_3.explain("What bob got first after sending \"hi\", once alice had sent \"hello\" (an answer goes to its sender only)"))
                    .isEqualTo("You sent: \"hi\"");
        }

        @Test
        @Order(2)
        @DisplayName("a JSON message is answered with JSON, {type: response, content, timestamp}")
        void json() {
            TestClient client = joined(lesson.connect());
            long start = System.currentTimeMillis();

            client.send("{\"type\":\"message\",\"content\":\"how are you?\"}");

            JsonNode reply = Json.object(client.nextText("the JSON answer to a JSON message", TODO_3), TODO_3);
            assertThat(reply.path("type").asText()).as(TODO_3.explain("The answer's type in " + reply)).isEqualTo("response");
            assertThat(reply.path("content").asText()).as(TODO_3.explain("The answer's content in " + reply)).isEqualTo("how are you?");
            assertThat(reply.path("timestamp").asLong()).as(TODO_3.explain("The answer's timestamp, in milliseconds since 1970: " + reply))
                    .isBetween(start, System.currentTimeMillis());
        }

        @Test
        @Order(4)
        @DisplayName("a binary message is refused with 1003 (cannot accept), not dropped in silence")
        void binaryRefused() {
            TestClient client = joined(lesson.connect());

            client.send(new byte[] {1, 2, 3});

            Close close = client.awaitClose("the server to close the connection of a client that sent a binary message, with 1003");
            assertThat(close.code()).as(BINARY.explain("The close code for a binary message to an endpoint that reads text only"
                    + " (1003, TextOnly.refuse in onBinary): " + close)).isEqualTo(1003);
        }

        @Test
        @Order(3)
        @DisplayName("a JSON broadcast goes to every client, its sender too, as {type: broadcast, content, timestamp}")
        void broadcast() {
            TestClient alice = joined(lesson.connect());
            TestClient bob = joined(lesson.connect());

            alice.send("{\"type\":\"broadcast\",\"content\":\"hello all\"}");

            for (TestClient client : List.of(alice, bob)) {
                JsonNode got = Json.object(client.nextText("the broadcast \"hello all\"", TODO_3), TODO_3);
                assertThat(got.path("type").asText()).as(TODO_3.explain("The broadcast's type in " + got)).isEqualTo("broadcast");
                assertThat(got.path("content").asText()).as(TODO_3.explain("The broadcast's content in " + got)).isEqualTo("hello all");
            }
        }
    }

    @Nested
    @Order(6)
    @Tag("heartbeat")
    @DisplayName("Task 4: Attach a heartbeat to each connection, from open to close")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Heartbeat {

        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(NEVER, NEVER, OFTEN).onVirtualTime();

        /**
         * Answers a ping, then proves that the server has heard the pong before the test moves the
         * clock to the next beat, which drops a client whose pong it has not heard: the server
         * handles a connection's frames in order, so its answer to a text sent after the pong does.
         */
        void answer(SlowClient client, byte[] ping) {
            client.pong(ping);
            client.send("pong sent");
            assertThat(client.nextText("the answer to a text sent after a pong", TODO_4))
                    .as(TODO_4.explain("The answer to a text sent right after answering a ping")).isEqualTo("You sent: \"pong sent\"");
        }

        @Test
        @Order(1)
        @DisplayName("every client gets a heartbeat of its own")
        void each() {
            lesson.connect();
            lesson.connect();

            assertThat(lesson.server().heartbeatCount())
                    .as(TODO_4.explain("Heartbeats once two clients connected (one each, started in onOpen)")).isEqualTo(2);
        }

        // Before the test with a silent client: a heartbeat that hears no pong drops the answering one
        // there too, and this test says why.
        @Test
        @Order(2)
        @DisplayName("a client that answers every ping stays connected, ping after ping")
        void answeringStays() {
            SlowClient client = joined(lesson.connectPlain());
            for (int i = 1; i <= 4; i++) {
                lesson.advance(OFTEN, TODO_4);
                answer(client, client.nextPing(i == 1 ? "the heartbeat's first ping, one interval after connecting"
                        : "ping " + i + " of the heartbeat, not a drop: the client answered ping " + (i - 1)
                                + " (tell the heartbeat of each pong in onPong)", TODO_4));
            }
        }

        @Test
        @Order(3)
        @DisplayName("a client that stops answering is dropped, its timers with it, and the others stay")
        void silentDropped() {
            SlowClient answering = joined(lesson.connectPlain());
            int withOne = lesson.server().scheduledTasks();
            // It reads nothing and answers no ping: a client whose network died without a word.
            SlowClient silent = lesson.connectSlow();

            lesson.advance(OFTEN, TODO_4);
            answer(answering, answering.nextPing("the heartbeat's first ping, one interval after connecting", TODO_4));
            // The second beat finds the first ping of the silent client unanswered.
            lesson.advance(OFTEN, TODO_4);

            lesson.awaitClosedOnServer(silent, "the client that answers no ping to be dropped once it has missed a pong", TODO_4);
            assertThat(lesson.server().clientCount())
                    .as(TODO_4.explain("Clients connected once the one that answers no ping has missed a pong")).isEqualTo(1);
            assertThat(lesson.server().scheduledTasks())
                    .as(TODO_4.explain("Timers once the silent client was dropped: as many as before it came"
                            + " (stop its heartbeat in onClose)")).isEqualTo(withOne);
            answer(answering, answering.nextPing("ping 2 of the heartbeat, not a drop: the client answered ping 1", TODO_4));
        }

        @Test
        @Order(4)
        @DisplayName("a client that closes or vanishes leaves no heartbeat behind")
        void noneLeft() {
            TestClient polite = lesson.connect();
            TestClient crashing = lesson.connect();

            polite.close();
            crashing.vanish();

            assertThat(lesson.server().heartbeatCount())
                    .as(TODO_4.explain("Heartbeats once both clients have gone, one closed, one dropped (stop it in onClose)"))
                    .isZero();
        }
    }

    @Nested
    @Order(7)
    @Tag("origin")
    @DisplayName("Task 5: Refuse pages of other sites, let in the server's own")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Origins {

        @RegisterExtension
        final LessonServerExtension<CapstoneServer> lesson = server(NEVER, NEVER, NEVER);

        @Test
        @Order(1)
        @DisplayName("an upgrade from a page of another site is refused with 403, and a client connected already is unaffected")
        void foreign() throws Exception {
            TestClient client = joined(lesson.connect());

            int status = upgradeStatus("http://evil.example");

            assertThat(status).as(TODO_5.explain("The HTTP status of an upgrade from a page at http://evil.example: 403"
                    + " (Forbidden), as a page of another site must not act for its visitor" + upgraded(status))).isEqualTo(403);
            client.send("still here");
            assertThat(client.nextText("the answer to \"still here\"", TODO_5)).as(TODO_5.explain("The answer to a client"
                    + " connected before the refusal")).isEqualTo("You sent: \"still here\"");
        }

        @Test
        @Order(2)
        @DisplayName("a page on another port of this machine is refused with 403: origins match exactly")
        void otherPort() throws Exception {
            int port = lesson.server().page().getPort() == 1 ? 2 : 1;

            int status = upgradeStatus("http://localhost:" + port);

            assertThat(status).as(TODO_5.explain("The HTTP status of an upgrade from http://localhost:" + port + ", another"
                    + " program's page on this machine: 403, as an origin is scheme, host and port, matched whole"
                    + upgraded(status))).isEqualTo(403);
        }

        @Test
        @Order(3)
        @DisplayName("the server's own live page is let in, by either name of this machine")
        void ownPage() throws Exception {
            int port = lesson.server().page().getPort();
            for (String host : List.of("localhost", "127.0.0.1")) {
                int status = upgradeStatus("http://" + host + ":" + port);
                assertThat(status).as(TODO_5.explain("The HTTP status of an upgrade from the server's own page at http://" + host
                        + " and the server's port: 101 (Switching Protocols); allow it once start knows the port")).isEqualTo(101);
            }
        }

        /** The HTTP status of an upgrade to / with {@code origin}: 101 when the server upgrades it, then closed at once. */
        int upgradeStatus(String origin) throws Exception {
            URI uri = URI.create("ws://localhost:" + lesson.server().page().getPort() + "/");
            try {
                WebSocket socket = HTTP.newWebSocketBuilder().header("Origin", origin)
                        .buildAsync(uri, new WebSocket.Listener() { }).get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                socket.abort();
                return 101;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused) {
                    return refused.getResponse().statusCode();
                }
                return fail("The upgrade request to %s failed without an HTTP answer: %s%n  -> %s", uri, e.getCause(), TODO_5);
            } catch (TimeoutException e) {
                return fail("The server did not answer the upgrade request to %s within %d s.%n  -> %s", uri,
                        TestClient.WAIT.toSeconds(), TODO_5);
            }
        }

        static String upgraded(int status) {
            return status == 101 ? " (101 means that the server upgraded it)" : "";
        }
    }
}
