package workbook.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

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
import workbook.testkit.Payloads;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 5: Send binary data")
class BinaryTest {

    static final Todo TODO_1 = new Todo(1, "BinaryEndpoint.java");
    static final Todo TODO_2 = new Todo(2, "BinaryEndpoint.java");
    static final Todo TODO_3 = new Todo(3, "BinaryServer.java");
    /** What the server already does, as shipped: a learner's edit should not break it. */
    static final Todo GIVEN = Todo.given("the \"json\" and other cases of onText in BinaryEndpoint.java");

    @RegisterExtension
    final LessonServerExtension<BinaryServer> lesson = new LessonServerExtension<>(BinaryServer::new);

    static byte[] reversed(byte[] bytes) {
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[i] = bytes[bytes.length - 1 - i];
        }
        return reversed;
    }

    static byte[] randomBytes(int size) {
        return randomBytes(size, size);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The limit the lesson asks for, written here, not taken from the learner's code. */
    static final int LIMIT = 256 * 1024;

    /**
     * Bigger than the buffer Jetty reads into (so Jetty gathers the message into a buffer of its
     * own) and than the test server's send buffer (so a reply to a slow client has to wait).
     */
    static final int LARGE = 32 * 1024;

    @Nested
    @DisplayName("Text and JSON, as shipped")
    class TextAndJson {

        @Test
        @DisplayName("text is answered with text")
        void textStaysText() {
            TestClient client = lesson.connect();

            client.send("hello");

            assertThat(client.nextText("a text reply to \"hello\"", GIVEN))
                    .as(GIVEN.explain("The reply to \"hello\"")).isEqualTo("Server received: \"hello\"");
        }

        @Test
        @DisplayName("\"json\" is answered with the bytes as a JSON array of numbers")
        void jsonArray() {
            TestClient client = lesson.connect();

            client.send("json");

            JsonNode json = Json.object(client.nextText("the bytes as JSON", GIVEN), GIVEN);
            assertThat(json.path("data").toString()).as(GIVEN.explain("The \"data\" in " + json)).isEqualTo("[0,1,2,3,4]");
        }
    }

    @Nested
    @Tag("bytes")
    @DisplayName("Task 1: Send the bytes 0 1 2 3 4 as one binary message")
    class Bytes {

        @Test
        @DisplayName("\"bytes\" is answered with one binary message of the bytes 0 1 2 3 4")
        void sendsBytes() {
            TestClient client = lesson.connect();

            client.send("bytes");

            assertThat(client.nextBinary("the bytes 0 1 2 3 4", TODO_1))
                    .as(TODO_1.explain("The bytes of the binary reply to \"bytes\"")).containsExactly(0, 1, 2, 3, 4);
        }

        @Test
        @DisplayName("every request gets its own copy of the bytes")
        void twice() {
            TestClient client = lesson.connect();

            client.send("bytes");
            client.send("bytes");

            for (int i = 1; i <= 2; i++) {
                assertThat(client.nextBinary("the bytes 0 1 2 3 4, answer " + i + " of 2", TODO_1))
                        .as(TODO_1.explain("The bytes of binary reply " + i)).containsExactly(0, 1, 2, 3, 4);
            }
        }
    }

    @Nested
    @Tag("reverse")
    @DisplayName("Task 2: Answer a binary message with its bytes reversed")
    // The slow client first: it catches every late use of the payload, every time; a client that
    // reads at once sees one only when the network happens to make a send wait.
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Reverse {

        @Test
        @Order(1)
        @DisplayName("a binary message is answered with its bytes reversed, in one binary message")
        void reverses() {
            TestClient client = lesson.connect();

            client.send(new byte[] {9, 8, 7, 0, -1});

            assertThat(client.nextBinary("the bytes -1 0 7 8 9", TODO_2))
                    .as(TODO_2.explain("The binary reply to the bytes 9 8 7 0 -1")).containsExactly(-1, 0, 7, 8, 9);
        }

        @Test
        @Order(3)
        @DisplayName("every payload is given back to Jetty: its callback completed")
        void callbackCompleted() throws Exception {
            TestClient client = lesson.connect();
            byte[] large = randomBytes(LARGE);
            client.send(large);
            Payloads.assertEqual("the reply to 32 KiB of random bytes, reversed", reversed(large),
                    client.nextBinary("the 32 KiB sent, reversed", TODO_2), TODO_2);

            lesson.stopAndAwaitBuffersBack(TODO_2);
        }

        @Test
        @Order(2)
        @DisplayName("a client that reads slowly gets every reply intact, though each waits to be sent")
        void slowReader() {
            SlowClient slow = lesson.connectSlow();
            // The client reads nothing until all are sent: each reply waits in the server's queue, and
            // is written only after the code that sent it has returned.
            List<byte[]> sent = IntStream.range(0, 16).mapToObj(seed -> randomBytes(LARGE, seed)).toList();

            sent.forEach(slow::send);

            // Which reply spoils first depends on timing (how much the network took at once), so the
            // message does not say: every run tells the learner the same.
            for (int i = 0; i < sent.size(); i++) {
                Payloads.assertEqual("every reply to a slow client to be the 32 KiB it sent, reversed",
                        reversed(sent.get(i)), slow.nextBinary("reply " + (i + 1) + " of " + sent.size(), TODO_2), TODO_2);
            }
        }
    }

    @Nested
    @Tag("limit")
    @DisplayName("Task 3: Accept binary messages up to 256 KiB, and no bigger")
    // A limit too low fails the first test always; the second, racing the close, only sometimes.
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Limit {

        @Test
        @Order(1)
        @DisplayName("a message of exactly the limit (256 KiB) is answered in full")
        void largeUpToTheLimit() {
            // On a plain socket: a server that refuses the message resets the connection, and this
            // client still reads the close frame that says why (see SlowClient.sendRefusable).
            SlowClient client = lesson.connectPlain();
            byte[] large = randomBytes(LIMIT);

            client.sendRefusable(large);

            Payloads.assertEqual("the reply to 256 KiB of binary, the most the server accepts", reversed(large),
                    client.nextBinary("the 256 KiB sent, reversed", TODO_3), TODO_3);
        }

        @Test
        @Order(2)
        @DisplayName("a message over the limit ends its connection with 1009, and the server serves the others")
        void overTheLimit() {
            SlowClient greedy = lesson.connectPlain();
            TestClient modest = lesson.connect();

            greedy.sendRefusable(randomBytes(LIMIT + 1));

            assertThat(greedy.awaitClose("the server to close a connection that sent too big a message").code())
                    .as(TODO_3.explain("The close code for a message over the limit (1009: message too big)"))
                    .isEqualTo(1009);
            modest.send(new byte[] {1, 2, 3});
            assertThat(modest.nextBinary("the bytes 3 2 1, for another client", TODO_2))
                    .as(TODO_2.explain("The reply to another client, after one was closed for a big message"))
                    .containsExactly(3, 2, 1);
        }
    }
}
