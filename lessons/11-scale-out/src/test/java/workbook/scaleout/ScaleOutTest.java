package workbook.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Background.inBackground;
import static workbook.testkit.Background.rethrowFailure;
import static workbook.testkit.Eventually.eventually;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Close;
import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 11: Scale out across server instances with Redis")
class ScaleOutTest {

    static final Todo TODO_1 = new Todo(1, "ScaleOutServer.java");
    static final Todo TODO_2 = new Todo(2, "ScaleOutServer.java");
    static final Todo TODO_3 = new Todo(3, "ScaleOutServer.java");
    static final Todo TODO_4 = new Todo(4, "ScaleOutServer.java");

    /** Short, so that an instance is back soon after a test gives Redis back. */
    static final Duration RECONNECT = Duration.ofMillis(50);

    /** One Redis for every test of the JVM; each instance reaches it through a proxy of its own. */
    final LocalRedis redis = sharedRedis();
    final RedisProxy toA = new RedisProxy(redis.uri());
    final RedisProxy toB = new RedisProxy(redis.uri());
    final RedisProxy toC = new RedisProxy(redis.uri());

    /**
     * Instance A. What crosses instances goes through Redis, which the test kit cannot watch: a
     * silence proves nothing, so each test ends its reads with a message it knows must come next.
     */
    @RegisterExtension
    final LessonServerExtension<ScaleOutServer> lesson =
            new LessonServerExtension<>(() -> new ScaleOutServer(toA.uri(), RECONNECT)).pushingOnItsOwn();

    /** The instances started after A, to stop them before the proxies close. */
    final List<ScaleOutServer> started = new ArrayList<>();

    /** The test's own connection to Redis, to look at the channel and the stream. */
    RedisClient watcher;
    StatefulRedisConnection<String, String> commands;

    @BeforeEach
    void cleanRedis() {
        watcher = RedisClient.create(redis.uri());
        commands = watcher.connect();
        commands.sync().del(ScaleOutServer.STREAM);
    }

    @AfterEach
    void closeRedis() throws Exception {
        // The instances first, so that none sees Redis go and tries to reconnect while it stops.
        for (ScaleOutServer instance : started) {
            instance.stop();
        }
        a().stop();
        watcher.shutdown(0, 2, TimeUnit.SECONDS);
        toA.close();
        toB.close();
        toC.close();
    }

    /** The tests' Redis; when there is none, the failure says why in one line, not as the lesson's code. */
    static LocalRedis sharedRedis() {
        try {
            return LocalRedis.shared();
        } catch (IllegalStateException e) {
            return fail(e.getMessage());
        }
    }

    ScaleOutServer a() {
        return lesson.server();
    }

    ScaleOutServer startB() {
        return started(lesson.startAnother(() -> new ScaleOutServer(toB.uri(), RECONNECT)), toB, "B");
    }

    ScaleOutServer startC() {
        return started(lesson.startAnother(() -> new ScaleOutServer(toC.uri(), RECONNECT)), toC, "C");
    }

    /** Keeps {@code instance} to stop it after the test, once it has subscribed as it started. */
    ScaleOutServer started(ScaleOutServer instance, RedisProxy proxy, String name) {
        started.add(instance);
        expectSubscribed(proxy, name);
        return instance;
    }

    /**
     * Fails unless the instance behind {@code proxy} subscribed before its start returned: else
     * what is published never reaches it, and a test would wait for nothing.
     */
    static void expectSubscribed(RedisProxy proxy, String name) {
        if (!proxy.subscribed()) {
            fail("Expected instance %s to subscribe to the channel %s before its start returned, so that what is published"
                    + " from then on reaches it, but it sent Redis no SUBSCRIBE.%n  -> %s", name, ScaleOutServer.CHANNEL, TODO_2);
        }
    }

    /**
     * Where the server waits for a stage to complete (join() or get() on it, or Lettuce's sync()),
     * as the frame of ScaleOutServer that waits; else null. Once started, it never should.
     */
    static String waitingForAStage() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            boolean waits = false;
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith(ScaleOutServer.class.getName())) {
                    if (waits) {
                        return frame.getClassName().substring(ScaleOutServer.class.getPackageName().length() + 1) + "."
                                + frame.getMethodName() + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")";
                    }
                    break; // the server's own code runs on top: not waiting for a stage
                }
                waits |= frame.getClassName().equals(CompletableFuture.class.getName())
                        && List.of("join", "get", "waitingGet", "timedGet").contains(frame.getMethodName());
            }
        }
        return null;
    }

    TestClient clientOf(ScaleOutServer instance) {
        return lesson.connect(instance, "/");
    }

    /** The next message, as JSON. */
    static JsonNode next(TestClient client, String expected, Todo todo) {
        return Json.object(client.nextText(expected, todo), todo);
    }

    /** Reads the next messages, which must be chat messages with these texts, in this order. */
    static List<JsonNode> expectTexts(TestClient client, String who, Todo todo, String... texts) {
        List<JsonNode> read = new ArrayList<>();
        for (String text : texts) {
            JsonNode message = next(client, "\"" + text + "\" for " + who, todo);
            assertThat(message.path("type").asText()).as(todo.explain("The type of a message for " + who)).isEqualTo("message");
            assertThat(message.path("text").asText())
                    .as(todo.explain("What " + who + " gets next: each message once, in the order Redis delivered them"))
                    .isEqualTo(text);
            read.add(message);
        }
        return read;
    }

    /** What is published on the channel from now on, as the test's own subscription gets it. */
    BlockingQueue<String> listenToChannel() {
        BlockingQueue<String> published = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> listening = watcher.connectPubSub();
        listening.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                published.add(message);
            }
        });
        listening.sync().subscribe(ScaleOutServer.CHANNEL);
        return published;
    }

    /** The stream id a message carries as its seq. */
    static StreamId seqOf(JsonNode message) {
        String seq = message.path("seq").asText("");
        if (!StreamId.FORMAT.matcher(seq).matches()) {
            fail("Expected a message whose seq is its id in the stream, such as \"1733450000000-0\", but got: %s%n  -> %s", message, TODO_4);
        }
        return StreamId.parse(seq);
    }

    /** What {@code publish(text)}'s stage completes with, which must be the message's id in the stream. */
    static String idFrom(CompletionStage<?> publishing) {
        Object value = null;
        try {
            value = publishing.toCompletableFuture().get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            fail("Expected publish(text) to complete with the id the stream gave the message, but it failed: %s%n  -> %s", e.getCause(), TODO_4);
        } catch (TimeoutException e) {
            fail("Expected publish(text) to complete with the id the stream gave the message, but it had not completed after %d s.%n  -> %s",
                    TestClient.WAIT.toSeconds(), TODO_4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for publish(text) to complete", e);
        }
        if (!(value instanceof String id) || !StreamId.FORMAT.matcher(id).matches()) {
            fail("Expected publish(text) to complete with the id the stream gave the message, such as \"1733450000000-0\""
                    + " (what the script APPEND_AND_PUBLISH returns), but it completed with %s%s.%n  -> %s",
                    value instanceof String ? "\"" + value + "\"" : value, value == null ? "" : " (a " + value.getClass().getSimpleName() + ")",
                    TODO_4);
        }
        return (String) value;
    }

    /**
     * The instances' script, APPEND_AND_PUBLISH, for each of many texts in one step: thousands of
     * messages in the stream and on the channel at once, as fast as Redis goes, with no instance
     * to carry them. ARGV: the text, the stream's length, the first and last number of the texts.
     */
    static final String APPEND_AND_PUBLISH_MANY = "local text = ARGV[1]\nlocal function appendAndPublish()\n"
            + ScaleOutServer.APPEND_AND_PUBLISH + """
            end
            local id
            for i = tonumber(ARGV[3]), tonumber(ARGV[4]) do
                ARGV[1] = text .. ' ' .. i
                id = appendAndPublish()
            end
            return id
            """;

    /** Appends and publishes "{@code text} {@code from}" to "{@code text} {@code to}", as an instance would; returns the last one's id. */
    String appendAndPublish(String text, int from, int to) {
        return commands.sync().eval(APPEND_AND_PUBLISH_MANY, ScriptOutputType.VALUE, new String[] {ScaleOutServer.STREAM, ScaleOutServer.CHANNEL},
                text, String.valueOf(ScaleOutServer.HISTORY), String.valueOf(from), String.valueOf(to));
    }

    /** How many connections are subscribed to the channel, as Redis counts them. */
    long subscribedInstances() {
        return commands.sync().pubsubNumsub(ScaleOutServer.CHANNEL).get(ScaleOutServer.CHANNEL);
    }

    @Nested
    @Tag("publish")
    @DisplayName("Task 1: Publish what a client says to a Redis channel instead of delivering it on this instance only")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Publish {

        @Test
        @Order(1)
        @DisplayName("what a client says is published on the channel workbook:chat, as a message with its text")
        void published() throws Exception {
            BlockingQueue<String> published = listenToChannel();
            TestClient alice = clientOf(a());
            // What Redis sends A waits in the proxy: "hello" can reach alice now only if A delivers it itself.
            toA.holdSubscription();

            alice.send("hello");

            // The pong comes after all A sent alice while it handled "hello".
            alice.awaitHandled();
            if (alice.received() > 0) {
                fail("Expected \"hello\" from a client of instance A to be published on the Redis channel %s, and to reach"
                        + " that client only from there, but A sent it back to the client itself, at once (the test held back"
                        + " all that Redis sent A). Publish what a client says instead: every instance, this one too,"
                        + " delivers what Redis sends it.%n  -> %s", ScaleOutServer.CHANNEL, TODO_1);
            }
            String message = published.poll(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                fail("Expected \"hello\" from a client to be published on the Redis channel %s, but nothing was published"
                        + " there within %d s.%n  -> %s", ScaleOutServer.CHANNEL, TestClient.WAIT.toSeconds(), TODO_1);
            }
            JsonNode json = Json.object(message, TODO_1);
            assertThat(json.path("type").asText()).as(TODO_1.explain("The type of the message published")).isEqualTo("message");
            assertThat(json.path("text").asText()).as(TODO_1.explain("The text of the message published")).isEqualTo("hello");
        }

        @Test
        @Order(2)
        @DisplayName("a binary message closes its connection with 1003: the chat is text, and Jetty would drop it unread")
        void binaryRefused() {
            Todo given = Todo.given("ScaleOutEndpoint.java");
            SlowClient client = lesson.connectPlainAt("/");

            client.sendRefusable(new byte[] {1, 2, 3});

            Close close = client.awaitClose("the server to close a connection that sent a binary message");
            assertThat(close.code()).as(given.explain("The close code for a binary message (" + close + ")"))
                    .isEqualTo(StatusCode.BAD_DATA);
        }
    }

    @Nested
    @Tag("deliver")
    @DisplayName("Task 2: Subscribe each instance to the channel and deliver what comes to its own clients, each message once")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Deliver {

        @Test
        @Order(1)
        @DisplayName("a message said on instance A reaches every client of A and B once: the sender's own too, from Redis")
        void acrossInstances() {
            ScaleOutServer b = startB();
            TestClient alice = clientOf(a());
            TestClient bob = clientOf(b);
            TestClient carol = clientOf(b);

            alice.send("one");
            expectTexts(bob, "bob, on instance B", TODO_2, "one");
            // Bob has "one", so Redis has published it: what bob says now comes after it, on every instance.
            bob.send("two");

            expectTexts(alice, "alice, on instance A, who said \"one\"", TODO_2, "one", "two");
            expectTexts(carol, "carol, on instance B", TODO_2, "one", "two");
            expectTexts(bob, "bob, on instance B", TODO_2, "two");
        }

        /** How many messages each of two clients says at once. */
        static final int BURST = 200;

        @Test
        @Order(2)
        @DisplayName("two clients on two instances say 200 messages each at once: the clients of three instances get all 400, each once, every client in the same order")
        void burst() throws Throwable {
            ScaleOutServer b = startB();
            ScaleOutServer c = startC();
            List<TestClient> clients = List.of(clientOf(a()), clientOf(b), clientOf(c));
            TestClient alice = clientOf(a());
            TestClient bob = clientOf(b);

            CompletableFuture<Void> fromAlice = inBackground(() -> say(alice, "alice"));
            CompletableFuture<Void> fromBob = inBackground(() -> say(bob, "bob"));
            rethrowFailure(fromAlice);
            rethrowFailure(fromBob);

            List<String> first = null;
            for (TestClient client : clients) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < 2 * BURST; i++) {
                    texts.add(next(client, "message " + (i + 1) + " of " + 2 * BURST, TODO_2).path("text").asText());
                }
                assertThat(texts.stream().filter(text -> text.startsWith("alice")).toList())
                        .as(TODO_2.explain("What alice said, as a client of another instance got it: each once, in her order"))
                        .containsExactlyElementsOf(numbered("alice"));
                assertThat(texts.stream().filter(text -> text.startsWith("bob")).toList())
                        .as(TODO_2.explain("What bob said, as a client of another instance got it: each once, in his order"))
                        .containsExactlyElementsOf(numbered("bob"));
                if (first == null) {
                    first = texts;
                } else if (!texts.equals(first)) {
                    fail("Expected the clients of every instance to get the 400 messages in the same order, the order Redis"
                            + " published them; but a client of another instance got them in another order.%n  -> %s", TODO_2);
                }
            }
        }

        void say(TestClient client, String who) {
            for (String text : numbered(who)) {
                client.send(text);
            }
        }

        List<String> numbered(String who) {
            List<String> texts = new ArrayList<>();
            for (int i = 1; i <= BURST; i++) {
                texts.add(who + " " + i);
            }
            return texts;
        }
    }

    @Nested
    @Tag("outage")
    @DisplayName("Task 3: Survive Redis going away, with bounded memory, and come back on your own")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Outage {

        /** Every test of this task counts on A's subscription, which task 2 made. */
        @BeforeEach
        void subscribed() {
            expectSubscribed(toA, "A");
        }

        @Test
        @Order(1)
        @DisplayName("while instance A cannot reach Redis, a client of A that speaks is told at once that its message was not sent, and stays connected")
        void toldAtOnce() {
            TestClient alice = clientOf(a());
            TestClient bob = clientOf(a());

            toA.cut();
            eventually(() -> assertThat(a().connectedToRedis()).as(TODO_3.explain("connectedToRedis() once Redis is away")).isFalse());
            // Refused while Redis is away, a command fails before Lettuce returns its stage; kept, it waits for
            // Redis. Lettuce's own thread learns of the cut a moment after connectedToRedis() says it: on a busy
            // machine, a first publish may still go to the dead connection, and fail a little later.
            eventually(() -> assertThat(a().publish("to fail at once").toCompletableFuture().isDone())
                    .as(TODO_3.explain("Whether publish(text) fails at once while instance A cannot reach Redis, so that the"
                            + " sender is told. Lettuce keeps the commands given while Redis is away, without bound, and sends"
                            + " them once it is back, unless told to refuse them while disconnected")).isTrue());
            alice.send("while Redis is away");

            JsonNode told = next(alice, "a message of type \"error\" that says \"while Redis is away\" was not sent", TODO_3);
            assertThat(told.path("type").asText())
                    .as(TODO_3.explain("What a client whose message could not go out gets: its type")).isEqualTo("error");
            alice.send("still there");
            assertThat(next(alice, "a second error for a second message", TODO_3).path("type").asText())
                    .as(TODO_3.explain("What a client whose second message could not go out gets: its type")).isEqualTo("error");
            assertThat(a().subscribers()).as(TODO_3.explain("Clients of A while Redis is away: still connected")).isEqualTo(2);
            assertThat(bob.received()).as(TODO_3.explain("Messages bob got meanwhile: none was sent")).isZero();
        }

        @Test
        @Order(2)
        @DisplayName("when Redis comes back, A reconnects and subscribes again on its own: what was said meanwhile on B never reaches A's clients, what is said after does")
        void backAgain() {
            ScaleOutServer b = startB();
            TestClient alice = clientOf(a());
            TestClient bob = clientOf(b);

            toA.cut();
            eventually(() -> assertThat(subscribedInstances())
                    .as(TODO_3.explain("Instances subscribed to the channel once A cannot reach Redis")).isEqualTo(1));
            bob.send("while A is away");
            expectTexts(bob, "bob, on instance B, which still reaches Redis", TODO_3, "while A is away");
            toA.restore();
            eventually(() -> {
                assertThat(a().connectedToRedis()).as(TODO_3.explain("connectedToRedis() of A, once Redis is back")).isTrue();
                assertThat(subscribedInstances())
                        .as(TODO_3.explain("Instances subscribed to the channel once Redis is back: A again, on its own")).isEqualTo(2);
            });
            bob.send("after");
            expectTexts(bob, "bob, on instance B", TODO_3, "after");
            alice.send("alice is back");

            // Pub/sub delivers to the subscribers connected at that moment: A was not.
            expectTexts(alice, "alice, on instance A, which was cut off from Redis while bob spoke", TODO_3, "after", "alice is back");
            expectTexts(bob, "bob, on instance B", TODO_3, "alice is back");
        }

        @Test
        @Order(3)
        @DisplayName("while Redis is slow to answer A, a client of A that speaks twice has both messages passed on to Redis: no thread of Jetty's waits for Redis")
        void neverWaitsForRedis() throws InterruptedException {
            TestClient alice = clientOf(a());
            String first = "first, while Redis is slow";
            String second = "second, while Redis is slow";
            toA.holdCommands();
            toA.recordCommands();

            alice.send(first);
            alice.send(second);

            // Redis's answer to the first waits in the proxy: a server that waits for it never reads the second.
            long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
            String waiting = null;
            while (!toA.awaitCommandWith(second, Duration.ofMillis(10)) && (waiting = waitingForAStage()) == null
                    && System.nanoTime() < deadline) {
                // Neither yet: the second is on its way, or no thread has begun to wait.
            }
            boolean secondSent = toA.sentCommandWith(second);
            String sent = toA.sentCommandWith(first) ? "only her first reached Redis" : "neither reached Redis";
            // Redis answers again: a thread that waits for it returns, and A stops without waiting for that thread.
            toA.release();
            if (!secondSent) {
                fail("Expected instance A to pass alice's second message on to Redis while Redis's answer to her first"
                        + " waited in the test's proxy, but %s: while the thread that read her first message waits for"
                        + " Redis, Jetty reads nothing more from her. Never wait for Redis on Jetty's thread (no get() or"
                        + " join() on the stage): say what to do when it completes.%n  -> %s",
                        waiting != null ? "a thread of A's waits for Redis's answer, at " + waiting
                                : sent + " within " + TestClient.WAIT.toSeconds() + " s",
                        TODO_3);
            }
            expectTexts(alice, "alice, on instance A, once Redis answers again", TODO_3, first, second);
        }
    }

    @Nested
    @Tag("resume")
    @DisplayName("Task 4: Resume on any instance from a Redis stream, written and published in one atomic step")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Resume {

        /** Every test of this task counts on A's subscription, which task 2 made. */
        @BeforeEach
        void subscribed() {
            expectSubscribed(toA, "A");
        }

        /** A client that says it saw the message with stream id {@code since}, as one that reconnects does. */
        TestClient resume(ScaleOutServer instance, String epoch, String since) {
            return lesson.connect(instance, "/?epoch=" + epoch + "&since=" + since);
        }

        /** The ids of the stream's entries after {@code since}, oldest first. */
        List<String> streamAfter(String since) {
            return commands.sync().xrange(ScaleOutServer.STREAM, Range.from(Range.Boundary.excluding(since), Range.Boundary.unbounded()))
                    .stream().map(StreamMessage::getId).toList();
        }

        @Test
        @Order(1)
        @DisplayName("every message carries the epoch workbook:chat:history and, as its seq, the id of its entry in that stream")
        void seqIsTheStreamId() {
            TestClient alice = clientOf(a());
            alice.send("one");
            alice.send("two");

            List<JsonNode> got = expectTexts(alice, "alice", TODO_4, "one", "two");

            List<String> kept = commands.sync().xrange(ScaleOutServer.STREAM, Range.create("-", "+")).stream()
                    .map(StreamMessage::getId).toList();
            assertThat(kept).as(TODO_4.explain("The ids of the entries in the stream " + ScaleOutServer.STREAM
                    + " once two messages went out (XADD on publish)")).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(got.get(i).path("epoch").asText()).as(TODO_4.explain("The epoch of a message: the stream's name"))
                        .isEqualTo(ScaleOutServer.STREAM);
                assertThat(got.get(i).path("seq").asText()).as(TODO_4.explain("The seq of message " + (i + 1) + ": its id in the stream"))
                        .isEqualTo(kept.get(i));
            }

            String id = idFrom(a().publish("three"));
            String last = commands.sync().xrevrange(ScaleOutServer.STREAM, Range.create("-", "+"), Limit.from(1)).get(0).getId();
            assertThat(id).as(TODO_4.explain("What publish(\"three\") completed with: the id of its entry, the stream's last")).isEqualTo(last);
            expectTexts(alice, "alice", TODO_4, "three");
        }

        @Test
        @Order(2)
        @DisplayName("a client of A that dropped comes back on B, started after it dropped, with ?epoch=E&since=<id of message 5>: it gets 6 to 8, then the live 9")
        void onAnotherInstance() {
            TestClient alice = clientOf(a());
            TestClient bob = clientOf(a());
            for (int i = 1; i <= 5; i++) {
                bob.send("message " + i);
            }
            List<JsonNode> seen = expectTexts(alice, "alice, on A", TODO_2, "message 1", "message 2", "message 3", "message 4", "message 5");
            alice.vanish();
            for (int i = 6; i <= 8; i++) {
                bob.send("message " + i);
            }
            expectTexts(bob, "bob, on A", TODO_2, "message 1", "message 2", "message 3", "message 4", "message 5",
                    "message 6", "message 7", "message 8");
            ScaleOutServer b = startB();

            TestClient back = resume(b, seen.get(4).path("epoch").asText(), seqOf(seen.get(4)).toString());
            String who = "alice, back on instance B (started after she dropped) since message 5";
            expectTexts(back, who, TODO_4, "message 6", "message 7", "message 8");
            // Her replay is in; once B counts her among its subscribers, what is said is live for her. (A
            // message said during the replay is a test of its own, below, with the replay held on its way.)
            eventually(() -> assertThat(b.subscribers()).as(TODO_4.explain("The clients instance B sends live messages to,"
                    + " once alice's replay has come")).isEqualTo(1));
            bob.send("message 9");

            expectTexts(back, who, TODO_4, "message 9");
        }

        @Test
        @Order(3)
        @DisplayName("a client resumes on B while B's subscription lags behind: the messages its replay sent, when they come late from the subscription, are not sent again")
        void subscriptionLagsBehind() {
            ScaleOutServer b = startB();
            TestClient watching = clientOf(b);
            TestClient alice = clientOf(a());
            alice.send("message 1");
            JsonNode seen = expectTexts(watching, "a client of B", TODO_2, "message 1").get(0);
            toB.holdSubscription();
            alice.send("message 2");
            alice.send("message 3");
            expectTexts(alice, "alice, on A", TODO_2, "message 1", "message 2", "message 3");

            TestClient back = resume(b, ScaleOutServer.STREAM, seqOf(seen).toString());
            expectTexts(back, "a client back on B since message 1, from the stream", TODO_4, "message 2", "message 3");
            toB.release();
            expectTexts(watching, "a client of B, once B's subscription has caught up", TODO_2, "message 2", "message 3");
            alice.send("message 4");

            expectTexts(back, "the client back on B since message 1, once B's subscription has caught up", TODO_4, "message 4");
        }

        @Test
        @Order(5)
        @DisplayName("a message published while a client's replay is on its way comes after the replay, once")
        void publishedDuringReplay() throws InterruptedException {
            ScaleOutServer b = startB();
            TestClient watching = clientOf(b);
            TestClient alice = clientOf(a());
            alice.send("message 1");
            alice.send("message 2");
            JsonNode seen = expectTexts(watching, "a client of B", TODO_2, "message 1", "message 2").get(0);
            toB.holdCommands();

            TestClient back = resume(b, ScaleOutServer.STREAM, seqOf(seen).toString());
            if (!toB.awaitForwarded("XRANGE", TestClient.WAIT)) {
                fail("Expected instance B to ask Redis for what a client that resumes missed (XRANGE), but it did not"
                        + " within %d s.%n  -> %s", TestClient.WAIT.toSeconds(), TODO_4);
            }
            // Redis has answered the XRANGE, but its answer waits in the proxy while message 3 goes to B's clients.
            alice.send("message 3");
            expectTexts(watching, "a client of B", TODO_2, "message 3");
            toB.release();

            String who = "a client back on B since message 1, with message 3 published while its replay was on its way";
            expectTexts(back, who, TODO_4, "message 2");
            // The client has its replay, so B is catching it up: message 4 reaches B after that, and comes next
            // unless B kept message 3 for the client.
            alice.send("message 4");
            expectTexts(back, who, TODO_4, "message 3", "message 4");
        }

        @Test
        @Order(6)
        @DisplayName("a client whose last message the stream no longer keeps (1000 since, the stream keeps about 500) gets a reset with the last id, then the live messages")
        void tooOld() throws Exception {
            TestClient alice = clientOf(a());
            alice.send("long ago");
            String first = seqOf(next(alice, "\"long ago\"", TODO_4)).toString();
            String last = appendAndPublish("since", 1, 1000);

            TestClient back = resume(a(), ScaleOutServer.STREAM, first);

            JsonNode reset = next(back, "a reset", TODO_4);
            assertThat(reset.path("type").asText())
                    .as(TODO_4.explain("What a client gets first when the stream no longer has the message it saw: its type")).isEqualTo("reset");
            assertThat(reset.path("seq").asText()).as(TODO_4.explain("The seq of the reset: the id of the last message")).isEqualTo(last);
            alice.send("live");
            expectTexts(back, "the client that got a reset", TODO_4, "live");
        }

        @Test
        @Order(7)
        @DisplayName("a client with another epoch gets a reset, then the live messages")
        void otherEpoch() {
            TestClient alice = clientOf(a());
            alice.send("one");
            String seq = seqOf(next(alice, "\"one\"", TODO_4)).toString();

            TestClient back = resume(a(), "another", seq);

            assertThat(next(back, "a reset", TODO_4).path("type").asText())
                    .as(TODO_4.explain("What a client that resumes with another epoch gets first: its type")).isEqualTo("reset");
            alice.send("live");
            expectTexts(back, "the client that got a reset", TODO_4, "live");
        }

        /** How many clients resume, one after the other, while messages are published. */
        static final int RESUMES = 20;
        /** How many messages each of them reads, the first after its since, before it closes. */
        static final int READS = 100;
        /** How far back each resumes: its replay is long enough that publishing goes on while it is sent. */
        static final int SINCE_BACK = 50;
        /**
         * How far publishing may run ahead of the watcher: with a client's since and its reads, less
         * than the stream keeps, so what a client checks is still there.
         */
        static final int AHEAD = 200;

        /** How many clients resume on B at once, in the test of a subscription that lags far behind. */
        static final int LATE_RESUMES = 4;
        /** How many older messages B delivers into their meanwhile before their replays come. */
        static final int BEFORE_REPLAY = 5_000;
        /** How many more older messages B's subscription still brings while their replays are sent. */
        static final int DURING_REPLAY = 20_000;

        @Test
        @Order(4)
        @DisplayName("4 clients resume on B while its subscription lags 25000 messages behind, and deliver adds them to their meanwhile while catchUp goes through it: each gets its reset, then the live messages")
        void deliverDuringCatchUp() throws InterruptedException {
            ScaleOutServer b = startB();
            TestClient watching = clientOf(b);
            String since = idFrom(a().publish("message 0"));
            expectTexts(watching, "a client of B", TODO_2, "message 0");
            // A has no client: what Redis sends it waits in the proxy, and leaves the CPU to B's threads.
            toA.holdSubscription();
            // Their XRANGEs wait in the proxy: each client's Place is in B's map, its replay not asked for yet.
            toB.holdRequests();
            List<TestClient> back = new ArrayList<>();
            for (int i = 1; i <= LATE_RESUMES; i++) {
                back.add(resume(b, ScaleOutServer.STREAM, since));
                if (!toB.awaitArrived("XRANGE", i, TestClient.WAIT)) {
                    fail("Expected instance B to ask Redis for what a client that resumes missed (XRANGE), but it did not"
                            + " within %d s.%n  -> %s", TestClient.WAIT.toSeconds(), TODO_4);
                }
            }
            // These reach B, and go into each client's meanwhile, before its XRANGE reaches Redis: 500 at a time, which
            // B's queue for watching holds (the server kit lets 1000 messages wait for a client).
            for (int step = 500, from = 1; from <= BEFORE_REPLAY; from += step) {
                appendAndPublish("before the replay", from, from + step - 1);
                readUntil(watching, "before the replay " + (from + step - 1));
            }
            watching.close();
            // These reach Redis's stream before the XRANGEs, and B's subscription only after them: all older than the replays.
            toB.holdSubscription();
            String last = appendAndPublish("older", 1, DURING_REPLAY);
            // The XRANGEs go to Redis, and B's subscription brings the 20000 older messages while their answers come back.
            toB.release();
            for (TestClient client : back) {
                JsonNode reset = next(client, "a reset, for a client whose since the stream no longer keeps", TODO_4);
                assertThat(reset.path("type").asText())
                        .as(TODO_4.explain("What a client gets first when the stream no longer has the message it saw: its type")).isEqualTo("reset");
                assertThat(reset.path("seq").asText()).as(TODO_4.explain("The seq of the reset: the id of the last message")).isEqualTo(last);
            }
            // Every XRANGE has been answered: this one is live for all of them.
            a().publish("live");

            // No fence: only a new client of B could tell when B is done with "live", and it would get the older
            // messages first, more than B queues for a client. A client that gets nothing waits the whole time,
            // unless B's code threw meanwhile (catchUp's loop, with deliver adding to its list): the read ends there.
            for (TestClient client : back) {
                assertThat(client.nextText("\"live\" after its reset", TODO_4)).as(TODO_4.explain("What a client that resumed on B"
                        + " got after its reset. B went through its meanwhile (catchUp) while its subscription, on another of"
                        + " Lettuce's threads, still brought older messages: deliver and catchUp both change a client's Place,"
                        + " and must never run at once (make both synchronized)")).contains("\"text\":\"live\"");
            }
        }

        /** Reads the messages {@code reader}, a client of B, gets until the one whose text is {@code text}. */
        void readUntil(TestClient reader, String text) {
            while (!reader.nextText("\"" + text + "\" for a client of B", TODO_2).contains("\"text\":\"" + text + "\"")) {
                // Not yet that one.
            }
        }

        @Test
        @Order(10)
        @DisplayName("20 clients resume on B, one after the other, while A publishes without pause: each gets all after its own, once, in order")
        void resumeDuringBurst() throws Throwable {
            ScaleOutServer b = startB();
            TestClient watching = clientOf(b);
            AtomicLong published = new AtomicLong();
            for (int i = 0; i < 199; i++) {
                a().publish("before");
            }
            idFrom(a().publish("before"));
            published.set(200);
            // How many of those published the client resuming now has, counting from its since.
            AtomicLong resumerHas = new AtomicLong(published.get());
            CompletableFuture<Void> resuming = inBackground(() -> {
                for (int i = 0; i < RESUMES; i++) {
                    resumerHas.set(published.get() - SINCE_BACK);
                    List<String> kept = commands.sync().xrevrange(ScaleOutServer.STREAM, Range.create("-", "+"), Limit.from(SINCE_BACK))
                            .stream().map(StreamMessage::getId).toList();
                    String since = kept.get(kept.size() - 1);
                    TestClient client = resume(b, ScaleOutServer.STREAM, since);
                    List<String> got = new ArrayList<>();
                    for (int read = 0; read < READS; read++) {
                        got.add(next(client, "message " + (read + 1) + " after its since", TODO_4).path("seq").asText());
                        resumerHas.incrementAndGet();
                    }
                    client.close();
                    if (!got.equals(streamAfter(since).subList(0, READS))) {
                        fail("Expected every client that resumed on B while A published to get each message after the one it saw,"
                                + " once and in order, those it missed before the live ones; but one got a message twice, out of"
                                + " order, or not at all.%n  -> %s", TODO_4);
                    }
                }
            });
            // Never far ahead of the watcher and of the client resuming, so that what it checks is still in the stream.
            while (!resuming.isDone()) {
                if (published.get() - watching.received() < AHEAD && published.get() - resumerHas.get() < AHEAD) {
                    a().publish("during");
                    published.incrementAndGet();
                } else {
                    Thread.onSpinWait();
                }
            }
            rethrowFailure(resuming);
        }

        @Test
        @Order(8)
        @DisplayName("A's message is in the stream before B's, but A hears back from Redis late: every client still gets A's first")
        void streamOrderIsLiveOrder() {
            ScaleOutServer b = startB();
            TestClient onA = clientOf(a());
            TestClient onB = clientOf(b);
            toA.holdCommands();

            onA.send("from A");
            eventually(() -> assertThat(commands.sync().xlen(ScaleOutServer.STREAM))
                    .as(TODO_4.explain("Entries in the stream once A has published (XADD)")).isEqualTo(1));
            BlockingQueue<String> published = listenToChannel();
            onB.send("from B");
            // B's message is on the channel before A hears back from Redis.
            eventually(() -> assertThat(published).as(TODO_4.explain("What was published on the channel once B has published"))
                    .anySatisfy(message -> assertThat(message).contains("from B")));
            toA.release();

            for (TestClient client : List.of(onA, onB)) {
                JsonNode first = next(client, "\"from A\"", TODO_4);
                assertThat(first.path("text").asText()).as(TODO_4.explain("A's message went into the stream first, B's after: a client"
                        + " that gets B's first and resumes from its id misses A's. So every client gets A's message first, even"
                        + " though A heard back from Redis late: the XADD and the PUBLISH must be one step (a script). The first"
                        + " message")).isEqualTo("from A");
                expectTexts(client, "a client, after A's message", TODO_4, "from B");
            }
        }

        @Test
        @Order(9)
        @DisplayName("two instances publish 300 messages each at once: every client gets them with seqs that only grow")
        void idsGrowEverywhere() throws Throwable {
            ScaleOutServer b = startB();
            List<TestClient> clients = List.of(clientOf(a()), clientOf(b));
            CompletableFuture<Void> fromB = inBackground(() -> {
                for (int i = 0; i < 300; i++) {
                    b.publish("from B");
                }
            });
            for (int i = 0; i < 300; i++) {
                a().publish("from A");
            }
            rethrowFailure(fromB);

            for (TestClient client : clients) {
                StreamId previous = StreamId.ZERO;
                for (int i = 0; i < 600; i++) {
                    StreamId seq = seqOf(next(client, "message " + (i + 1) + " of 600", TODO_4));
                    if (seq.compareTo(previous) <= 0) {
                        fail("Expected every client to get the messages in the order of their ids in the stream, so that a client"
                                + " that resumes from the last it saw misses nothing; but one got a message with a smaller id after"
                                + " a larger one: another instance published between an XADD and its PUBLISH.%n  -> %s", TODO_4);
                    }
                    previous = seq;
                }
            }
        }
    }
}
