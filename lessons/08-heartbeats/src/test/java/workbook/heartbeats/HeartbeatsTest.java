package workbook.heartbeats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Background.inBackground;
import static workbook.testkit.Background.rethrowFailure;
import static workbook.testkit.Eventually.eventually;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

import workbook.server.LessonServer;
import workbook.testkit.Close;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;
import workbook.testkit.WatchedCall;

@DisplayName("Lesson 8: Heartbeats, idle timeouts and the connection's life")
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class HeartbeatsTest {

    static final Todo TODO_1 = new Todo(1, "HeartbeatsServer.java");
    static final Todo TODO_2 = new Todo(2, "HeartbeatsServer.java");
    static final Todo TODO_3 = new Todo(3, "HeartbeatsServer.java");
    static final Todo TODO_4 = new Todo(4, "HeartbeatsServer.java");
    static final Todo ENDPOINT = Todo.given("HeartbeatsEndpoint.java (onBinary)");

    /**
     * The heartbeat's interval where the tests ping. Its timers go by a clock that the tests move
     * ({@code lesson.advance}, lesson 03's technique): a beat comes when the test says, however busy
     * the machine, so a client that answers is never late, and "no ping yet" is proven, not waited for.
     */
    static final Duration BEAT = Duration.ofSeconds(1);
    /** What must not happen in a test. */
    static final Duration NEVER = Duration.ofHours(1);
    static final Duration A_MILLISECOND = Duration.ofMillis(1);

    /** For upgrade requests whose HTTP answer the test reads: Jetty's client says less about a refusal. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A server that pings every {@link #BEAT} of the test's clock, and never times out on its own. */
    static LessonServerExtension<HeartbeatsServer> beating() {
        return new LessonServerExtension<>(() -> new HeartbeatsServer(BEAT, NEVER)).onVirtualTime();
    }

    /**
     * Moves the server's clock on by one beat, and reads the ping it sent {@code client}. A server
     * with no heartbeat timer fails at once, rather than after a plain socket's wait for a ping.
     */
    static byte[] pingAtNextBeat(LessonServerExtension<HeartbeatsServer> lesson, SlowClient client, String expected) {
        assertThat(lesson.server().scheduledTasks()).as(TODO_1.explain("Heartbeat timers while a client is connected"))
                .isPositive();
        lesson.advance(BEAT, TODO_1);
        return client.nextPing(expected, TODO_1);
    }

    /**
     * Waits until the server counts {@code expected} clients: it notices a close or a drop in
     * milliseconds, and has the whole {@link TestClient#WAIT} on a busy machine.
     */
    @Nested
    @Order(1)
    @Tag("heartbeat")
    @DisplayName("Task 1: Ping every client, and drop one that stops answering: its timer with it")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Timers {

        /** A heartbeat timer for each client, and no ping within the test: nothing here depends on time. */
        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = new LessonServerExtension<>(() -> new HeartbeatsServer(NEVER, NEVER));

        HeartbeatsServer server() {
            return lesson.server();
        }

        @Test
        @Order(1)
        @DisplayName("every client gets a heartbeat timer of its own")
        void timerEach() {
            lesson.connect();
            lesson.connect();

            // No wait: a connect returns once the server's onOpen has run.
            assertThat(server().scheduledTasks())
                    .as(TODO_1.explain("Heartbeat timers once two clients connected (one per connection, started in connected())"))
                    .isEqualTo(2);
        }

        @Test
        @Order(2)
        @DisplayName("a client that closes or vanishes leaves no timer behind")
        void noTimerLeft() {
            TestClient polite = lesson.connect();
            TestClient crashing = lesson.connect();

            polite.close();
            crashing.vanish();

            // close() and vanish() return once the server's @OnWebSocketClose has: no need to wait.
            assertThat(server().clients()).as(TODO_1.explain("Clients connected once both have gone, one closed, one dropped")).isZero();
            assertThat(server().scheduledTasks())
                    .as(TODO_1.explain("Heartbeat timers once both clients have gone, one closed, one dropped (cancel it in disconnected())"))
                    .isZero();
        }
    }

    @Nested
    @Order(2)
    @Tag("heartbeat")
    @DisplayName("Task 1: Ping every client, and drop one that stops answering")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Heartbeat {

        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = beating();

        HeartbeatsServer server() {
            return lesson.server();
        }

        /**
         * The pongs the server has counted once it has handled those that {@code client} sent: a
         * test client answers every ping on its own, as a browser does, and the kit's fences (two
         * rounds of pings of its own) come after those answers. A drop fails here, {@code when}.
         */
        int pongsCounted(TestClient client, String when) {
            client.assertNothingMore(when, TODO_1);
            return server().pongs();
        }

        @Test
        @Order(1)
        @DisplayName("a client that answers every ping gets one each interval, the first one interval after it connected, and stays")
        void pingsEveryInterval() {
            TestClient client = lesson.connect();

            for (int ping = 1; ping <= 3; ping++) {
                String since = ping == 1 ? "the client connected" : "ping " + (ping - 1);
                String interval = "one interval (" + BEAT.toSeconds() + " s)";
                lesson.advance(BEAT.minus(A_MILLISECOND), TODO_1);
                assertThat(pongsCounted(client, "before ping " + ping + " of the heartbeat"))
                        .as(TODO_1.explain("Pongs the server counted " + BEAT.minus(A_MILLISECOND).toMillis() + " ms after " + since
                                + ", from a client that answers every ping: " + (ping - 1) + ", as " + (ping == 1
                                        ? "the first ping comes " + interval + " after it connects, not at once"
                                        : "a ping comes " + interval + " after the last")))
                        .isEqualTo(ping - 1);

                lesson.advance(A_MILLISECOND, TODO_1);
                assertThat(pongsCounted(client, ping == 1 ? "at the heartbeat's first ping" : "at ping " + ping + ", after it"
                        + " answered ping " + (ping - 1) + " (a pong must mark its heart as answered, or the next beat drops the client)"))
                        .as(TODO_1.explain("Pongs the server counted " + interval + " after " + since + ", from a client that"
                                + " answers every ping: " + ping + " (schedule beat() every pingEvery, in the unit its number counts,"
                                + " and count each pong in heart.pongs)"))
                        .isEqualTo(ping);
            }
        }

        @Test
        @Order(2)
        @DisplayName("a client that stops answering is dropped at the next beat, without a close frame, and the others stay")
        void silentDropped() throws Exception {
            // It reads what comes, and answers no ping: a client whose network died, as the server sees it.
            SlowClient silent = lesson.connectPlain();
            TestClient answering = lesson.connect();

            lesson.advance(BEAT, TODO_1);
            // Proven before the plain socket reads: a ping that did not come fails at once, not after a wait.
            assertThat(pongsCounted(answering, "at the heartbeat's first ping"))
                    .as(TODO_1.explain("Pongs the server counted one interval after two clients connected, from the one that"
                            + " answers every ping")).isEqualTo(1);
            silent.nextPing("the heartbeat's first ping to the client that will answer none", TODO_1);

            lesson.advance(BEAT, TODO_1);
            assertThat(pongsCounted(answering, "at ping 2, while the client that answered no ping is dropped: it stays (each"
                    + " client has a heart of its own)"))
                    .as(TODO_1.explain("Pongs the server counted from the client that answers every ping, at ping 2")).isEqualTo(2);
            // A stop closes with 1001 every connection still open, after what the server sent it
            // before: what the silent client reads first is what its second beat did to it.
            server().stop();
            awaitDropped(silent);
        }

        /**
         * Reads what comes to a client after the ping it left unanswered, once the next beat has run
         * and the server has stopped: the end of its connection, without a close frame. Another
         * ping, or a close frame (the stop's 1001 too: still connected), fails.
         */
        static void awaitDropped(SlowClient silent) {
            try {
                silent.nextPing("the server to drop the client that answered no ping at its next beat, without a close frame"
                        + " (disconnect(): a dead peer reads no close frame, and one with a backlog never gets it)", TODO_1);
            } catch (AssertionError e) {
                // The test kit's words for a connection that ended without a close frame: the drop expected.
                if (e.getMessage() != null && e.getMessage().contains(" failed: java.")) {
                    return;
                }
                throw e;
            }
            fail("Expected the server to drop the client that answered no ping at its next beat, but it pinged that client"
                    + " again: a beat must first look whether the last ping had its pong, and disconnect a client whose ping"
                    + " had none.%n  -> %s", TODO_1);
        }
    }

    @Nested
    @Order(3)
    @Tag("round-trip")
    @DisplayName("Task 2: Measure each client's round trip from its pongs")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RoundTrip {

        /** The next ping comes when the test moves the clock: a client may take its time to answer. */
        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = beating();

        @Test
        @Order(1)
        @DisplayName("a client that answers a ping 150 ms late has a round trip of 150 ms or more")
        void late() throws InterruptedException {
            Duration late = Duration.ofMillis(150);
            long start = System.nanoTime();
            SlowClient slow = lesson.connectSlow();

            byte[] ping = pingAtNextBeat(lesson, slow, "the heartbeat's first ping, one interval after connecting");
            // A delay of known size before the answer, not a wait for a result: a round trip is
            // measured on the machine's clock (System.nanoTime), which the test does not move.
            Thread.sleep(late.toMillis());
            slow.pong(ping);

            eventually(() -> assertThat(lesson.server().roundTrips())
                    .as(TODO_2.explain("The round trips measured after a client answered its ping " + late.toMillis() + " ms late"))
                    .hasSize(1));
            long elapsed = System.nanoTime() - start;
            // Only the round trip in the verdict: the time since connecting differs from run to run.
            assertThat(lesson.server().roundTrips().get(0).toNanos())
                    .as(TODO_2.explain("The round trip in nanoseconds of a client that held the ping " + late.toMillis()
                            + " ms before its pong"))
                    .matches(roundTrip -> roundTrip >= late.toNanos() && roundTrip < elapsed,
                            "at least " + late.toNanos() + ", and less than the time since the client connected");
        }

        @Test
        @Order(2)
        @DisplayName("a pong with other bytes than the ping's is a sign of life, but no round trip")
        void unsolicitedPong() {
            long start = System.nanoTime();
            SlowClient client = lesson.connectSlow();

            byte[] ping = pingAtNextBeat(lesson, client, "the heartbeat's first ping, one interval after connecting");
            // Pongs the client sends on its own, as RFC 6455 (5.5.3) allows: 8 bytes, but not the ping's.
            long sent = ByteBuffer.wrap(ping).getLong();
            for (long ago = 1; ago <= 2; ago++) {
                client.pong(ByteBuffer.allocate(Long.BYTES).putLong(0, sent - ago * 1_000_000_000_000L).array());
            }

            // The server handles a connection's frames in turn: once it has counted the second pong,
            // it is done with the first, and both are handled before the next beat.
            eventually(() -> assertThat(lesson.server().pongs()).as(TODO_1.explain("Pongs the server counted from a client whose"
                    + " only pongs carried other bytes than the ping's: it is alive all the same (count every pong as an answer)"))
                    .isEqualTo(2));
            assertThat(lesson.server().roundTrips().stream().map(Duration::toNanos).toList()).as(TODO_2.explain("The round trips in"
                    + " nanoseconds measured after the client's pongs carried other bytes than the ping's (times 1000 s and 2000 s"
                    + " before it): none, as only the ping's own bytes (heart.pingSent) make a round trip")).isEmpty();
            // The next beat pings a client that answered, and drops one that did not.
            byte[] next = pingAtNextBeat(lesson, client, "a second ping, not a drop: a pong with any bytes says that the client"
                    + " is alive (count every pong as an answer)");

            client.pong(next);
            eventually(() -> assertThat(lesson.server().roundTrips())
                    .as(TODO_2.explain("The round trips measured once the client answered the second ping with its own bytes"))
                    .hasSize(1));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(lesson.server().roundTrips().get(0).toNanos())
                    .as(TODO_2.explain("The round trip in nanoseconds of the answer to the second ping: more than 0, and less"
                            + " than the time since the client connected"))
                    .isPositive().isLessThan(elapsed.toNanos());
        }

        @Test
        @Order(3)
        @DisplayName("the round trip of a client that answers at once is measured, and is short")
        void measured() {
            long start = System.nanoTime();
            // It answers each ping at once, with its bytes, as browsers and Jetty's client do on their own.
            TestClient client = lesson.connect();

            lesson.advance(BEAT, TODO_1);
            // The kit's fences come after the client's answer: the server has handled it.
            client.assertNothingMore("at the heartbeat's first ping", TODO_1);
            assertThat(lesson.server().roundTrips())
                    .as(TODO_2.explain("The round trips measured once the only client has answered a ping")).hasSize(1);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(lesson.server().roundTrips().get(0).toNanos()).as(TODO_2.explain("The round trip in nanoseconds of a client"
                    + " on this machine that answers at once: more than 0, and less than the time since it connected (send"
                    + " System.nanoTime() in the ping, and subtract it from System.nanoTime() when the pong comes)"))
                    .isPositive().isLessThan(elapsed.toNanos());
        }
    }

    @Nested
    @Order(4)
    @Tag("close")
    @DisplayName("Task 3: An idle timeout, and close codes with reasons that fit")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Closing {

        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = new LessonServerExtension<>(() -> new HeartbeatsServer(NEVER, NEVER));

        @Test
        @Order(1)
        @DisplayName("reason() cuts a text to at most 123 bytes of UTF-8, never within a character")
        void reasonFits() {
            assertThat(HeartbeatsServer.reason("short and sweet")).as(TODO_3.explain("reason(\"short and sweet\"): it fits, unchanged"))
                    .isEqualTo("short and sweet");
            assertThat(HeartbeatsServer.reason("a".repeat(200))).as(TODO_3.explain("reason() of 200 ASCII letters, 1 byte each"))
                    .isEqualTo("a".repeat(123));
            assertThat(HeartbeatsServer.reason("é".repeat(100))).as(TODO_3.explain("reason() of 100 times é, 2 bytes each in UTF-8:"
                    + " 61 of them are 122 bytes, and a 62nd would make 124")).isEqualTo("é".repeat(61));
            assertThat(HeartbeatsServer.reason("x" + "👋".repeat(40))).as(TODO_3.explain("reason() of x and 40 times 👋, 4 bytes each"
                    + " in UTF-8 and two Java chars: x and 30 of them are 121 bytes, and half a 👋 is no character"))
                    .isEqualTo("x" + "👋".repeat(30));
        }

        @Test
        @Order(2)
        @DisplayName("a client that sends a message to this push-only server is closed with 1008 and a reason that fits")
        void policy() {
            TestClient client = lesson.connect();

            client.send("Grüße aus Köln! ".repeat(20));

            Close close = client.awaitClose("the server to close the connection of a client that sent a message, with 1008");
            assertThat(close.code()).as(TODO_3.explain("The close code for a client that sent a message to a push-only server"
                    + " (1008, policy violation), with its reason: " + close)).isEqualTo(1008);
            assertThat(close.reason().getBytes(StandardCharsets.UTF_8).length)
                    .as(TODO_3.explain("The UTF-8 bytes of the reason \"" + close.reason() + "\": at most 123 (cut it with reason())"))
                    .isBetween(1, HeartbeatsServer.MAX_REASON_BYTES);
            assertThat(close.reason()).as(TODO_3.explain("The reason, which quotes the message: no broken character in it"))
                    .doesNotContain("\uFFFD").contains("Grüße");
        }
    }

    @Nested
    @Order(5)
    @Tag("close")
    @DisplayName("Task 3: An idle timeout, and close codes with reasons that fit: a binary message")
    class BinaryRefused {

        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = new LessonServerExtension<>(() -> new HeartbeatsServer(NEVER, NEVER));

        @Test
        @DisplayName("a binary message is refused with 1003 (cannot accept), not dropped in silence")
        void binaryRefused() {
            TestClient client = lesson.connect();

            client.send(new byte[] {1, 2, 3});

            Close close = client.awaitClose("the server to close the connection of a client that sent a binary message, with 1003");
            assertThat(close.code()).as(ENDPOINT.explain("The close code for a binary message to a server that reads text only"
                    + " (1003, TextOnly.refuse in onBinary): " + close)).isEqualTo(1003);
        }
    }

    @Nested
    @Order(6)
    @Tag("close")
    @DisplayName("Task 3: An idle timeout, and close codes with reasons that fit: a silent client")
    class Idle {

        static final Duration IDLE = Duration.ofMillis(300);

        /** No heartbeat: its pings would keep the connection busy. */
        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = new LessonServerExtension<>(() -> new HeartbeatsServer(NEVER, IDLE));

        @Test
        @DisplayName("a connection silent for the idle timeout is closed by Jetty with 1001")
        void idleClosed() {
            TestClient client = lesson.connect();

            eventually(() -> assertThat(lesson.server().clients())
                    .as(TODO_3.explain("Clients connected after one stayed silent for more than the idle timeout of "
                            + IDLE.toMillis() + " ms (set it on the container in configure())")).isZero());
            Close close = client.awaitClose("Jetty to close the idle connection");
            assertThat(close.code()).as(TODO_3.explain("The close code of an idle connection: " + close)).isEqualTo(1001);
        }
    }

    /** Starts {@code server.shutdown(deadline)} beside the test. */
    static CompletableFuture<Void> shutdownBeside(HeartbeatsServer server, Duration deadline) {
        return inBackground(() -> {
            try {
                server.shutdown(deadline);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * {@code server.shutdown(deadline)} on a thread of its own beside the test. A shutdown with a
     * client still connected either waits in shutdown() itself (for allGone) or goes on to
     * stop(): {@link #waits} looks at its thread until it is at one of those points, so a test
     * knows at once which it took, with no margin of time that a busy machine could overrun, and no
     * wait of an hour.
     */
    static final class ShutdownThread {

        private final WatchedCall call;

        ShutdownThread(HeartbeatsServer server, Duration deadline) {
            call = new WatchedCall(HeartbeatsServer.class, "shutdown", () -> server.shutdown(deadline));
        }

        /** Whether it waits in shutdown() itself (true), or goes on to stop() or has returned (false). */
        boolean waits() throws Throwable {
            return call.waits(frame -> frame.getMethodName().equals("stop") && (frame.getClassName()
                    .equals(HeartbeatsServer.class.getName()) || frame.getClassName().equals(LessonServer.class.getName())), TODO_4);
        }

        /** Waits for shutdown() to return, as it must once {@code now}. */
        void assertReturns(String now) throws Throwable {
            call.assertReturns(now, "complete allGone in disconnected() once closing, when the last connection has gone, and"
                    + " in shutdown() if none is left", TODO_4);
        }

        /** Lets the shutdown end with the test (see {@link WatchedCall#end}). */
        void end() throws InterruptedException {
            call.end();
        }
    }

    /**
     * Runs {@code server.shutdown(1 h)} beside the test while {@code slow} holds its backlog unread:
     * fails if it does not wait while that client is connected ({@code meanwhile}), saying {@code why}
     * it did not. Then the client leaves, and the shutdown must return.
     */
    static void assertShutdownWaitsFor(HeartbeatsServer server, SlowClient slow, String meanwhile, String why) throws Throwable {
        ShutdownThread shutdown = new ShutdownThread(server, NEVER);
        try {
            if (!shutdown.waits()) {
                fail("Expected shutdown(1 h) to wait while %s, but it went on to stop() without waiting: %s.%n  -> %s",
                        meanwhile, why, TODO_4);
            }
            // The last client leaves: allGone completes, and shutdown() returns.
            slow.close();
            shutdown.assertReturns("once the last client had left");
        } finally {
            // Also when the shutdown went on to stop(): it waits for this client's close handshake, which a client
            // that reads nothing never ends.
            slow.close();
            shutdown.end();
        }
    }

    @Nested
    @Order(7)
    @Tag("shutdown")
    @DisplayName("Task 4: Shut down for a restart, and let queued messages drain")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Shutdown {

        static final int QUEUED = 40;

        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = new LessonServerExtension<>(() -> new HeartbeatsServer(NEVER, NEVER));

        /** Starts shutdown(WAIT) beside the test: it returns once every client has gone. */
        CompletableFuture<Void> shutdownInBackground() {
            return shutdownBeside(lesson.server(), TestClient.WAIT);
        }

        /** Pushes {@link #QUEUED} messages of a KiB: more than a client that does not read can take in. */
        void pushMany() {
            for (int i = 1; i <= QUEUED; i++) {
                lesson.server().push(message(i));
            }
        }

        static String message(int i) {
            return "message " + i + " " + ".".repeat(1000);
        }

        @Test
        @Order(1)
        @DisplayName("shutdown() closes every client with 1012 (service restart), so that it comes back")
        void restartCode() throws Throwable {
            SlowClient client = lesson.connectSlow();

            CompletableFuture<Void> shutdown = shutdownInBackground();

            Close close = client.awaitClose("a close frame on shutdown(), not a dropped connection (TODO 4 in HeartbeatsServer.java)");
            assertThat(close.code()).as(TODO_4.explain("The close code on shutdown() for a restart (1012, service restart): " + close))
                    .isEqualTo(1012);
            // This client answers no close frame: it drops the connection, and shutdown() may end.
            client.close();
            rethrowFailure(shutdown);
        }

        @Test
        @Order(2)
        @DisplayName("a slow client gets every message queued for it, then the close")
        void drains() throws Throwable {
            SlowClient slow = lesson.connectSlow();
            pushMany();

            CompletableFuture<Void> shutdown = shutdownInBackground();

            for (int i = 1; i <= QUEUED; i++) {
                assertThat(slow.nextText("message " + i + " of " + QUEUED + ", queued before shutdown()", TODO_4))
                        .as(TODO_4.explain("Message " + i + " of " + QUEUED)).isEqualTo(message(i));
            }
            Close close = slow.awaitClose("the close after the queued messages");
            assertThat(close.code()).as(TODO_4.explain("The close code after the queued messages: " + close)).isEqualTo(1012);
            slow.close();
            rethrowFailure(shutdown);
        }

        @Test
        @Order(3)
        @DisplayName("a client that connects while the others drain is refused with 503")
        void refusedMeanwhile() throws Throwable {
            TestClient quick = lesson.connect();
            SlowClient slow = lesson.connectSlow();
            pushMany();

            CompletableFuture<Void> shutdown = shutdownInBackground();
            // Closed: the shutdown has begun. The slow client, reading nothing yet, holds it open.
            quick.awaitClose("the server to close the connection on shutdown()");

            assertThat(upgradeStatus()).as(TODO_4.explain("The HTTP status of an upgrade request while the server shuts down:"
                    + " 503 (Service Unavailable); 101 means that it opened a WebSocket")).isEqualTo(503);
            slow.close();
            rethrowFailure(shutdown);
        }

        @Test
        @Order(4)
        @DisplayName("a client that came and went before the shutdown does not end the wait for those still reading")
        void waitsAfterAnEarlierLeave() throws Throwable {
            // Before any shutdown: the last client leaves, and no shutdown is waiting for that.
            lesson.connect().close();
            assertThat(lesson.server().clients()).as(TODO_1.explain("Clients connected once the only one has closed its connection")).isZero();
            SlowClient slow = lesson.connectSlow();
            pushMany();

            assertShutdownWaitsFor(lesson.server(), slow, "a client that had not read its " + QUEUED + " queued messages was"
                    + " still connected, another having come and gone before the shutdown", "allGone was complete before the"
                    + " shutdown began (complete it only once closing)");
        }

        @Test
        @Order(5)
        @DisplayName("shutdown() with no client connected returns at once, without waiting for its deadline")
        void nobodyToWaitFor() throws Throwable {
            ShutdownThread shutdown = new ShutdownThread(lesson.server(), NEVER);
            try {
                if (shutdown.waits()) {
                    fail("Expected shutdown(1 h) with no client connected to return at once, but it waits for allGone: no"
                            + " client will leave to complete it, so complete it in shutdown() when none is left.%n  -> %s", TODO_4);
                }
                shutdown.assertReturns("at once, with no client connected");
            } finally {
                shutdown.end();
            }
        }

        int upgradeStatus() throws Exception {
            URI uri = URI.create("ws://localhost:" + lesson.server().page().getPort() + "/");
            try {
                WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                        .get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                socket.abort();
                return 101;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused) {
                    return refused.getResponse().statusCode();
                }
                return fail("The upgrade request to %s failed without an HTTP answer: %s%n  -> %s", uri, e.getCause(), TODO_4);
            } catch (TimeoutException e) {
                return fail("The server did not answer the upgrade request to %s within %d s.%n  -> %s", uri, TestClient.WAIT.toSeconds(), TODO_4);
            }
        }
    }

    @Nested
    @Order(8)
    @Tag("shutdown")
    @DisplayName("Task 4: Shut down for a restart, and let queued messages drain: with heartbeats on")
    class ShutdownWithHeartbeats {

        /** No beat comes before the test moves the clock, once the shutdown waits for the client. */
        @RegisterExtension
        final LessonServerExtension<HeartbeatsServer> lesson = beating();

        @Test
        @DisplayName("no heartbeat drops a client that is still reading its backlog during the shutdown")
        void noHeartbeatWhileDraining() throws Throwable {
            SlowClient slow = lesson.connectSlow();
            for (int i = 1; i <= Shutdown.QUEUED; i++) {
                lesson.server().push(Shutdown.message(i));
            }
            ShutdownThread shutdown = new ShutdownThread(lesson.server(), NEVER);
            try {
                assertThat(shutdown.waits()).as(TODO_4.explain("Whether shutdown(1 h) waits while a client still has its "
                        + Shutdown.QUEUED + " queued messages to read")).isTrue();
                // Two beats: a heartbeat left on would ping the client, busy with its backlog, and then
                // drop it for not answering, with what it had still to read.
                lesson.advance(BEAT.multipliedBy(2), TODO_4);

                for (int i = 1; i <= Shutdown.QUEUED; i++) {
                    assertThat(slow.nextText("every message queued before shutdown(), two heartbeat intervals (a ping every "
                            + BEAT.toSeconds() + " s) into the drain: no beat may drop a client that drains, so stop the"
                            + " heartbeats when the shutdown begins", TODO_4))
                            .as(TODO_4.explain("Message " + i + " of " + Shutdown.QUEUED)).isEqualTo(Shutdown.message(i));
                }
                Close close = slow.awaitClose("the close after the queued messages");
                assertThat(close.code()).as(TODO_4.explain("The close code after the queued messages: " + close)).isEqualTo(1012);
                slow.close();
                shutdown.assertReturns("once the last client had left");
            } finally {
                shutdown.end();
            }
        }
    }
}
