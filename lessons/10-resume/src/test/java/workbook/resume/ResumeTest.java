package workbook.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Background.inBackground;
import static workbook.testkit.Background.rethrowFailure;
import static workbook.testkit.Eventually.eventually;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 10: resume")
class ResumeTest {

    static final Todo TODO_1 = new Todo(1, "ResumeServer.java");
    static final Todo TODO_2 = new Todo(2, "ResumeServer.java");
    static final Todo TODO_3 = new Todo(3, "ResumeServer.java");
    static final Todo TODO_4 = new Todo(4, "ResumeServer.java");
    static final Todo ENDPOINT = Todo.given("ResumeEndpoint.java");

    /** Whether the test publishes from a thread of its own: a silence then proves nothing. */
    volatile boolean bursting;

    @RegisterExtension
    final LessonServerExtension<ResumeServer> lesson = new LessonServerExtension<>(ResumeServer::new)
            .pushingOnItsOwn(server -> bursting);

    ResumeServer server() {
        return lesson.server();
    }

    /** A client that says it saw message {@code since} of {@code epoch}, as one that reconnects does. */
    TestClient resume(String epoch, long since) {
        return lesson.connect("/?epoch=" + epoch + "&since=" + since);
    }

    void publish(int count, String text) {
        for (int i = 0; i < count; i++) {
            server().publish(text);
        }
    }

    /** The next message, as JSON. */
    static JsonNode next(TestClient client, String expected, Todo todo) {
        return Json.object(client.nextText(expected, todo), todo);
    }

    /** Reads messages since + 1 to last, each once and in order, or fails saying which came instead. */
    static void expectSeqs(TestClient client, long since, long last, Todo todo) {
        for (long seq = since + 1; seq <= last; seq++) {
            JsonNode message = next(client, "message " + seq, todo);
            assertThat(message.path("seq").asLong(-1))
                    .as(todo.explain("A client that saw message " + since + " gets every message after it once, in order,"
                            + " those it missed before the live ones. The seq of the next message"))
                    .isEqualTo(seq);
            assertThat(message.path("type").asText())
                    .as(todo.explain("Message " + seq + " for a client that saw " + since + ": its type")).isEqualTo("message");
        }
    }

    /** Reads a reset, which must carry the server's epoch and the number of the last message published. */
    void expectReset(TestClient client, String why, Todo todo) {
        long last = server().lastSeq();
        JsonNode reset = next(client, "a reset", todo);
        assertThat(reset.path("type").asText())
                .as(todo.explain(why + ": the type of the first message it gets, a reset rather than what it missed")).isEqualTo("reset");
        assertThat(reset.path("seq").asLong(-1))
                .as(todo.explain("The seq of the reset: the last message published, where the client starts again")).isEqualTo(last);
        assertThat(reset.path("epoch").asText())
                .as(todo.explain("The epoch of the reset: this server's")).isEqualTo(server().epoch());
    }

    @Nested
    @Tag("numbers")
    @DisplayName("Task 1: number every message")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Numbers {

        @Test
        @Order(1)
        @DisplayName("messages published from Java arrive as JSON with their type, the epoch, their seq from 1 and their text")
        void numbered() {
            TestClient client = lesson.connect();

            server().publish("first");
            server().publish("second");

            for (int seq = 1; seq <= 2; seq++) {
                JsonNode message = next(client, "message " + seq, TODO_1);
                assertThat(message.path("type").asText()).as(TODO_1.explain("The type of a published message")).isEqualTo("message");
                assertThat(message.path("epoch").asText()).as(TODO_1.explain("The epoch of a message: the server's, epoch()"))
                        .isEqualTo(server().epoch());
                assertThat(message.path("seq").asLong(-1)).as(TODO_1.explain("The seq of message " + seq + " published")).isEqualTo(seq);
                assertThat(message.path("text").asText()).as(TODO_1.explain("The text of message " + seq))
                        .isEqualTo(seq == 1 ? "first" : "second");
            }
            assertThat(server().lastSeq()).as(TODO_1.explain("lastSeq() after two messages")).isEqualTo(2);
        }

        @Test
        @Order(2)
        @DisplayName("what a client sends is published too, to every client, numbered after those from Java")
        void fromClients() {
            TestClient alice = lesson.connect();
            TestClient bob = lesson.connect();
            server().publish("from Java");

            alice.send("from alice");

            for (TestClient client : List.of(alice, bob)) {
                expectSeqs(client, 0, 2, TODO_1);
            }
        }
    }

    @Nested
    @Tag("replay")
    @DisplayName("Task 2: replay what a client missed")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Replay {

        @Test
        @Order(1)
        @DisplayName("a client that dropped and reconnects with ?epoch=E&since=5 gets 6 to 8, which it missed, then the live 9")
        void dropAndResume() {
            TestClient client = lesson.connect();
            publish(5, "before the drop");
            expectSeqs(client, 0, 5, TODO_1);
            client.vanish();
            eventually(() -> assertThat(server().subscribers())
                    .as(ENDPOINT.explain("Subscribers once the only client has dropped")).isZero());
            publish(3, "while away");

            TestClient back = resume(server().epoch(), 5);
            server().publish("live");

            expectSeqs(back, 5, 9, TODO_2);
        }

        @Test
        @Order(2)
        @DisplayName("a client that missed nothing gets nothing again: the next message is the next live one")
        void missedNothing() {
            TestClient client = lesson.connect();
            publish(4, "before the close");
            expectSeqs(client, 0, 4, TODO_1);
            client.close();

            TestClient back = resume(server().epoch(), 4);
            server().publish("live");

            expectSeqs(back, 4, 5, TODO_2);
        }

        @Test
        @Order(3)
        @DisplayName("40 clients drop, then all reconnect at once from 4 threads: each gets the 40 it missed, then the live one")
        void manyAtOnce() throws Throwable {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                clients.add(lesson.connect());
            }
            publish(10, "before the drop");
            for (TestClient client : clients) {
                expectSeqs(client, 0, 10, TODO_1);
                client.vanish();
            }
            eventually(() -> assertThat(server().subscribers())
                    .as(ENDPOINT.explain("Subscribers once every client has dropped")).isZero());
            publish(40, "while away");

            List<TestClient> back = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(inBackground(() -> {
                    for (int i = 0; i < 10; i++) {
                        back.add(resume(server().epoch(), 10));
                    }
                }));
            }
            for (CompletableFuture<Void> thread : threads) {
                rethrowFailure(thread);
            }
            server().publish("live");

            for (TestClient client : back) {
                expectSeqs(client, 10, 51, TODO_2);
            }
        }

        /**
         * How far publishing may run ahead of any client in the burst: less than the 1000 messages
         * the server queues for one (it fails the sends past that), and less than the history, so
         * that what a client resuming 100 back missed is still there when it has connected.
         */
        static final int AHEAD = 450;
        /** How many clients resume, one after the other, while messages are published. */
        static final int RESUMES = 100;
        /** How many messages each of them reads, the first after its since, before it closes. */
        static final int READS = 200;

        @Test
        @Order(4)
        @DisplayName("100 clients resume, one after the other, while messages are published without pause: each gets all after its own, once, in order")
        void resumeDuringBurst() throws Throwable {
            TestClient watcher = lesson.connect();
            publish(300, "before");
            // The last message each client in the burst has read: publishing waits for the slowest.
            List<AtomicLong> seen = new CopyOnWriteArrayList<>();

            // Each resumes 100 back, and more are published while it connects: its replay is long
            // enough that publishing goes on while it is sent.
            bursting = true;
            CompletableFuture<Void> resuming = inBackground(() -> {
                for (int i = 0; i < RESUMES; i++) {
                    // In the list before since is taken: were it after, a pause of this thread there would
                    // let publishing run more than the history ahead, and the client get a reset.
                    AtomicLong read = new AtomicLong(server().lastSeq());
                    seen.add(read);
                    long since = server().lastSeq() - 100;
                    read.set(since);
                    TestClient client = resume(server().epoch(), since);
                    for (long seq = since + 1; seq <= since + READS; seq++) {
                        if (next(client, "message " + seq, TODO_2).path("seq").asLong(-1) != seq) {
                            outOfOrder();
                        }
                        read.set(seq);
                    }
                    seen.remove(read);
                    client.close();
                }
            });
            try {
                publishWhile(resuming, watcher, seen);
            } finally {
                bursting = false;
            }
            rethrowFailure(resuming);
        }

        /** Publishes without pause until {@code done} is, but never more than {@link #AHEAD} ahead of any client. */
        void publishWhile(CompletableFuture<Void> done, TestClient watcher, List<AtomicLong> seen) {
            while (!done.isDone()) {
                long last = server().lastSeq();
                if (last - watcher.received() < AHEAD && seen.stream().allMatch(read -> last - read.get() < AHEAD)) {
                    server().publish("during");
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        /** Fails in words without the numbers, which differ from run to run. */
        void outOfOrder() {
            fail("Expected every client that resumed during the burst to get each message after the one it saw,"
                    + " once and in order, those it missed before the live ones; but one got a message out of order,"
                    + " twice, or not at all.%n  -> %s", TODO_2);
        }
    }

    @Nested
    @Tag("too-old")
    @DisplayName("Task 3: say so when the history no longer has what a client missed")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class TooOld {

        @Test
        @Order(1)
        @DisplayName("a client that saw message 10 of 600, when the history keeps 500, gets a reset with seq 600, then the live 601")
        void tooOld() {
            publish(600, "long ago");

            TestClient back = resume(server().epoch(), 10);

            expectReset(back, "A client that missed more than the history keeps", TODO_3);
            server().publish("live");
            expectSeqs(back, 600, 601, TODO_3);
        }

        @Test
        @Order(2)
        @DisplayName("a client that saw message 100 of 600 still gets all it missed: 101 to 600 are the 500 kept")
        void oldestKept() {
            publish(600, "kept or not");

            TestClient back = resume(server().epoch(), 100);

            expectSeqs(back, 100, 600, TODO_3);
        }
    }

    @Nested
    @Tag("epoch")
    @DisplayName("Task 4: a restart starts a new epoch")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Epoch {

        @Test
        @Order(1)
        @DisplayName("a client that saw message 3 of the server before a restart gets a reset from the new one, then the live messages")
        void otherEpoch() {
            ResumeServer before = new ResumeServer();
            for (int i = 0; i < 3; i++) {
                before.publish("before the restart");
            }
            publish(10, "after the restart");

            TestClient back = resume(before.epoch(), 3);

            expectReset(back, "A client that resumes with the epoch of the server before the restart", TODO_4);
            server().publish("live");
            expectSeqs(back, 10, 11, TODO_4);
        }

        @Test
        @Order(2)
        @DisplayName("each new server has an epoch of its own")
        void epochPerServer() {
            assertThat(new ResumeServer().epoch()).as(TODO_4.explain("The epoch of a new server, after a restart"))
                    .isNotEqualTo(server().epoch());
        }
    }
}
