package workbook.reply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 1: Reply to the client")
class ReplyTest {

    static final Todo TODO_1 = new Todo(1, "ReplyEndpoint.java");
    static final Todo TODO_2 = new Todo(2, "ReplyEndpoint.java");
    static final Todo TODO_3 = new Todo(3, "ReplyEndpoint.java");

    @RegisterExtension
    final LessonServerExtension<ReplyServer> lesson = new LessonServerExtension<>(ReplyServer::new);

    static String quoted(String message) {
        return "Server received: \"" + message + "\"";
    }

    @Nested
    @Tag("welcome")
    @DisplayName("Task 1: Push a welcome text as soon as a client connects")
    class Welcome {

        @Test
        @DisplayName("a client gets the welcome text before it says anything")
        void welcomeFirst() {
            TestClient client = lesson.connect();

            assertThat(client.nextText("the welcome text right after connecting", TODO_1))
                    .as(TODO_1.explain("The first message a client gets"))
                    .isEqualTo(ReplyEndpoint.WELCOME);
        }

        @Test
        @DisplayName("every client gets a welcome of its own, on / and on /json")
        void welcomeEach() {
            TestClient text = lesson.connect();
            TestClient json = lesson.connect("/json");

            assertThat(text.nextText("a welcome for the client on /", TODO_1))
                    .as(TODO_1.explain("The welcome on /")).isEqualTo(ReplyEndpoint.WELCOME);
            assertThat(json.nextText("a welcome for the client on /json", TODO_1))
                    .as(TODO_1.explain("The welcome on /json")).isEqualTo(ReplyEndpoint.WELCOME);
        }
    }

    @Nested
    @Tag("reply")
    @DisplayName("Task 2: Answer every message, to its sender only")
    // In this order: a reply sent to the wrong client always fails the third; the fourth, whose
    // vanishing client may take its message along, only sometimes.
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Reply {

        @Test
        @Order(1)
        @DisplayName("a message is answered with a text that quotes it")
        void quotes() {
            TestClient client = lesson.connect().skipping(ReplyEndpoint.WELCOME);

            client.send("hello");

            assertThat(client.nextText("a reply to \"hello\"", TODO_2))
                    .as(TODO_2.explain("The reply to \"hello\""))
                    .isEqualTo(quoted("hello"));
        }

        @Test
        @Order(2)
        @DisplayName("every message is answered, in order, with Unicode intact")
        void everyMessageInOrder() {
            TestClient client = lesson.connect().skipping(ReplyEndpoint.WELCOME);
            String[] messages = {"one", "Привет, мир!", "emoji 👋🌍 too"};

            for (String message : messages) {
                client.send(message);
            }

            for (String message : messages) {
                assertThat(client.nextText("a reply to \"" + message + "\"", TODO_2))
                        .as(TODO_2.explain("The reply to \"" + message + "\", in the order sent, characters unchanged"))
                        .isEqualTo(quoted(message));
            }
        }

        @Test
        @Order(3)
        @DisplayName("two clients each get only their own replies")
        void onlyToSender() {
            TestClient alice = lesson.connect().skipping(ReplyEndpoint.WELCOME);
            TestClient bob = lesson.connect().skipping(ReplyEndpoint.WELCOME);

            alice.send("from alice");
            assertThat(alice.nextText("Alice's reply", TODO_2))
                    .as(TODO_2.explain("Alice's reply")).isEqualTo(quoted("from alice"));

            // Bob asks only after Alice's reply came: had it gone to Bob too, it would reach him first.
            bob.send("from bob");
            assertThat(bob.nextText("Bob's reply", TODO_2))
                    .as(TODO_2.explain("Bob's first message after Alice was answered: a reply meant for Bob only"))
                    .isEqualTo(quoted("from bob"));
        }

        @Test
        @Order(4)
        @DisplayName("a client that vanishes without a close frame does not stop the server serving others")
        void survivesVanishedClient() {
            TestClient gone = lesson.connect().skipping(ReplyEndpoint.WELCOME);
            TestClient stays = lesson.connect().skipping(ReplyEndpoint.WELCOME);

            // The server's reply to this message finds the connection dead.
            gone.send("I am about to vanish");
            gone.vanish();
            stays.send("still there?");
            TestClient newcomer = lesson.connect().skipping(ReplyEndpoint.WELCOME);
            newcomer.send("hello, I am new");

            assertThat(stays.nextText("a reply to a client that stayed", TODO_2))
                    .as(TODO_2.explain("The reply to a client that stayed after another vanished"))
                    .isEqualTo(quoted("still there?"));
            assertThat(newcomer.nextText("a reply to a client that came later", TODO_2))
                    .as(TODO_2.explain("The reply to a client that connected after another vanished"))
                    .isEqualTo(quoted("hello, I am new"));
        }
    }

    @Nested
    @Tag("json")
    @DisplayName("Task 3: Answer in JSON on /json")
    class JsonReply {

        @Test
        @DisplayName("jsonReply writes type \"response\", the content and a timestamp in epoch ms")
        void jsonReplyFields() throws JsonProcessingException {
            long before = System.currentTimeMillis();
            JsonNode reply = Json.object(ReplyEndpoint.jsonReply("Привет \"quoted\""), TODO_3);
            long after = System.currentTimeMillis();

            assertResponse(reply, "Привет \"quoted\"", before, after);
        }

        @Test
        @DisplayName("a client on /json gets its replies as JSON")
        void jsonOverTheWire() {
            TestClient client = lesson.connect("/json").skipping(ReplyEndpoint.WELCOME);

            long before = System.currentTimeMillis();
            client.send("hello json");
            JsonNode reply = Json.object(client.nextText("a JSON reply to \"hello json\"", TODO_3), TODO_3);
            long after = System.currentTimeMillis();

            assertResponse(reply, "hello json", before, after);
        }

        private void assertResponse(JsonNode reply, String content, long before, long after) {
            assertThat(reply.path("type").asText(null))
                    .as(TODO_3.explain("The reply's \"type\" field, in " + reply)).isEqualTo("response");
            assertThat(reply.path("content").isTextual())
                    .as(TODO_3.explain("Whether the reply's \"content\" field is a string, in " + reply)).isTrue();
            assertThat(reply.path("content").asText())
                    .as(TODO_3.explain("The reply's \"content\" field, in " + reply)).isEqualTo(content);
            assertThat(reply.path("timestamp").isIntegralNumber())
                    .as(TODO_3.explain("Whether \"timestamp\" is a whole number (epoch milliseconds), in " + reply))
                    .isTrue();
            assertThat(reply.path("timestamp").asLong())
                    .as(TODO_3.explain("The reply's \"timestamp\": the time it was made, in epoch milliseconds"))
                    .isBetween(before, after);
        }
    }

    @Nested
    @DisplayName("The server")
    class Server {

        @Test
        @DisplayName("a client that sends and never reads has no more than a bounded number of replies queued for it")
        void boundedQueue() {
            SlowClient silent = lesson.connectSlow();
            int sent = 2_000;
            // 8 KiB each, 16 MiB in all: far more than the network's buffers and Jetty hold beyond the
            // queue (about 1 MiB: of 1500 sent, 1079-1130 were kept in runs of 2026-12-07), so that the
            // server's own queue decides how many are kept. (Replies of 1 KiB were all kept: 2000 of 2000.)
            String padding = "x".repeat(8 * 1024);

            // Each message is answered; the client reads none of the answers until all are sent.
            for (int i = 0; i < sent; i++) {
                silent.send("message " + i + " " + padding);
            }

            // The server kit bounds each client's queue at 1000 messages; the buffers hold a few hundred more.
            assertThat(silent.closeAndCount()).as("The replies kept for a client that read none of them, of %d"
                    + " (see LessonServer's bound on queued messages)", sent).isLessThan(sent);
        }

        @Test
        @DisplayName("stop() closes open connections with 1001 (going away), not 1006 (dropped)")
        void stopSays1001() throws Exception {
            TestClient client = lesson.connect();

            lesson.server().stop();

            assertThat(client.awaitClose("the connection to close when the server stops").code())
                    .as("The close code a client sees when the server stops (see LessonServer's stop timeout)")
                    .isEqualTo(1001);
        }
    }
}
