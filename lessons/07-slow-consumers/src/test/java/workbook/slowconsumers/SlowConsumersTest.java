package workbook.slowconsumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Eventually.eventually;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
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

@DisplayName("Lesson 07: slow consumers")
class SlowConsumersTest {

    static final Todo TODO_1 = new Todo(1, "Outbox.java");
    static final Todo TODO_2 = new Todo(2, "SlowConsumersServer.java");
    static final Todo TODO_3 = new Todo(3, "Outbox.java and SlowConsumersServer.java");

    /** Big enough that a client that reads nothing makes the server queue after a few hundred. */
    static final String LARGE = "x".repeat(16 * 1024);
    static final String[] SYMBOLS = {"ACME", "BOLT", "CRUX"};

    @RegisterExtension
    final LessonServerExtension<SlowConsumersServer> lesson = new LessonServerExtension<>(SlowConsumersServer::new);

    SlowConsumersServer server() {
        return lesson.server();
    }

    int largestBacklog(Iterable<Outbox> clients) {
        int largest = 0;
        for (Outbox client : clients) {
            largest = Math.max(largest, client.backlog());
        }
        return largest;
    }

    /**
     * Posts {@code count} large posts, never more than 20 ahead of the slowest reader, so that a
     * reader is never 100 behind however busy the machine. Bounded by a deadline.
     */
    void postPaced(int count, List<TestClient> readers) {
        long deadline = System.nanoTime() + TestClient.WAIT.toNanos() * 3;
        for (int i = 1; i <= count; i++) {
            while (i - readers.stream().mapToInt(TestClient::received).min().orElse(count) > 20) {
                if (System.nanoTime() > deadline) {
                    fail("Expected the readers to receive post %d of %d in time, but the slowest had %d.%n  -> %s",
                            i, count, readers.stream().mapToInt(TestClient::received).min().orElse(0), TODO_2);
                }
                Thread.onSpinWait();
            }
            server().post(i + " " + LARGE);
        }
    }

    @Nested
    @Tag("backlog")
    @DisplayName("Task 1: count what is sent but not yet written")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Backlog {

        @Test
        @Order(1)
        @DisplayName("a chat client that reads nothing has a backlog, counted per client")
        void stalledHasBacklog() {
            TestClient reader = lesson.connect("/chat");
            lesson.connectSlow("/chat");
            postPaced(600, List.of(reader));

            assertThat(largestBacklog(server().chatClients()))
                    .as(TODO_1.explain("The largest backlog after 600 posts of 16 KiB to a client that read none:"
                            + " most of them cannot be written yet, so they count")).isGreaterThan(0);
        }

        @Test
        @Order(2)
        @DisplayName("a client that has read everything has a backlog of 0")
        void readerHasNone() {
            TestClient reader = lesson.connect("/chat");
            postPaced(50, List.of(reader));
            for (int i = 1; i <= 50; i++) {
                reader.nextText("post " + i + " of 50", TODO_1);
            }
            eventually(() -> assertThat(largestBacklog(server().chatClients()))
                    .as(TODO_1.explain("The backlog of a client that received every post: each written send leaves it")).isZero());
        }

        @Test
        @Order(3)
        @DisplayName("sends that fail, because the client went away, leave the backlog too")
        void failedSendsLeave() {
            TestClient reader = lesson.connect("/chat");
            SlowClient slow = lesson.connectSlow("/chat");
            postPaced(600, List.of(reader));
            // The stalled client's outbox: the one with a backlog. The server forgets it once it closes.
            Outbox stalled = server().chatClients().stream().max(java.util.Comparator.comparingInt(Outbox::backlog)).orElseThrow();
            assertThat(stalled.backlog()).as(TODO_1.explain("The backlog of a client that read nothing")).isGreaterThan(0);

            slow.close();

            eventually(() -> assertThat(stalled.backlog())
                    .withFailMessage(TODO_1.explain("Expected the backlog of the client that read nothing to be 0 once it went"
                            + " away, but it stayed above 0: its sends failed, and a failed send must leave the backlog as a"
                            + " written one does")).isZero());
        }
    }

    @Nested
    @Tag("bound")
    @DisplayName("Task 2: close a chat client that falls too far behind")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Bound {

        @Test
        @Order(2)
        @DisplayName("a chat client that reads nothing is closed with 1013, and told to reconnect")
        void laggardClosed() {
            TestClient reader = lesson.connect("/chat");
            SlowClient slow = lesson.connectSlow("/chat");
            postPaced(1500, List.of(reader));

            Close close = slow.awaitClose("the server to close the client that read none of 1500 posts");
            assertThat(close.code()).as(TODO_2.explain("The close code for a client too far behind: 1013 (try again later)"))
                    .isEqualTo(1013);
            assertThat(close.reason()).as(TODO_2.explain("The reason of that close: it tells the client to reconnect"))
                    .containsIgnoringCase("reconnect");
        }

        @Test
        @Order(1)
        @DisplayName("the backlog of a client that reads nothing never passes the bound")
        void bounded() {
            TestClient reader = lesson.connect("/chat");
            lesson.connectSlow("/chat");
            int largest = 0;
            for (int i = 0; i < 15; i++) {
                postPaced(100, List.of(reader));
                largest = Math.max(largest, largestBacklog(server().chatClients()));
            }
            assertThat(largest).as(TODO_2.explain("The largest backlog of a chat client during 1500 posts it did not read"))
                    .isLessThanOrEqualTo(SlowConsumersServer.MAX_BACKLOG);
        }

        @Test
        @Order(3)
        @DisplayName("the other clients get every post, in order, while one reads nothing")
        void othersGetAll() {
            List<TestClient> readers = List.of(lesson.connect("/chat"), lesson.connect("/chat"));
            SlowClient slow = lesson.connectSlow("/chat");
            postPaced(1500, readers);

            for (TestClient reader : readers) {
                for (int i = 1; i <= 1500; i++) {
                    String text = reader.nextText("post " + i + " of 1500", TODO_2);
                    assertThat(text.substring(0, text.indexOf(' '))).as(TODO_2.explain("The number of post " + i + " a reader received"))
                            .isEqualTo(String.valueOf(i));
                }
            }
            assertThat(slow.closeAndCount()).as(TODO_2.explain("The posts the server still wrote to the client that read nothing"))
                    .isLessThan(1500);
        }

        @Test
        @Order(4)
        @DisplayName("a post from a chat client reaches every chat client as JSON")
        void throughTheEndpoint() {
            TestClient alice = lesson.connect("/chat");
            TestClient bob = lesson.connect("/chat");
            alice.send("hello");
            for (TestClient client : List.of(alice, bob)) {
                JsonNode post = Json.object(client.nextText("alice's post", TODO_2), TODO_2);
                assertThat(post.path("text").asText()).as(TODO_2.explain("The text of the post each client received")).isEqualTo("hello");
            }
        }
    }

    @Nested
    @Tag("conflate")
    @DisplayName("Task 3: a slow ticker client gets the newest prices, not a backlog")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Conflate {

        /** Publishes {@code count} prices, the symbols in turn, each price its own number. */
        void publish(int count) {
            for (int i = 1; i <= count; i++) {
                server().publish(SYMBOLS[i % SYMBOLS.length], i);
            }
        }

        @Test
        @Order(1)
        @DisplayName("the backlog of a ticker client that reads nothing stays at 1 while 20,000 prices go out")
        void bounded() {
            lesson.connectSlow();
            int largest = 0;
            for (int i = 0; i < 200; i++) {
                publish(100);
                largest = Math.max(largest, largestBacklog(server().tickerClients()));
            }
            assertThat(largest).as(TODO_3.explain("The largest backlog of a ticker client that read none of 20,000 prices:"
                    + " one in flight, the rest held back, newest per symbol")).isLessThanOrEqualTo(1);
            for (Outbox client : server().tickerClients()) {
                assertThat(client.pending()).as(TODO_3.explain("The prices held back: at most one per symbol"))
                        .isLessThanOrEqualTo(SYMBOLS.length);
            }
        }

        /**
         * A client's connection whose sends stay in flight until the test completes them, one by one:
         * what a client that reads nothing does to the server, with no network whose buffers could
         * let one through.
         */
        static final class HeldSends {
            final List<String> sent = new ArrayList<>();
            final Deque<Callback> inFlight = new ArrayDeque<>();
            final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                    new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "sendText" -> {
                            sent.add((String) args[0]);
                            inFlight.add((Callback) args[1]);
                            yield null;
                        }
                        case "isOpen" -> true;
                        case "toString" -> "a connection whose sends wait for the test";
                        default -> throw new UnsupportedOperationException("Session." + method.getName() + " in this test");
                    });

            /** Completes the oldest send in flight, as Jetty does once it has written it. */
            void writeNext() {
                assertThat(inFlight).as(TODO_3.explain("Sends in flight when the one before was written")).isNotEmpty();
                inFlight.poll().succeed();
            }

            List<Double> prices() {
                return sent.stream().map(text -> Json.object(text, TODO_3).path("price").asDouble()).toList();
            }
        }

        @Test
        @Order(2)
        @DisplayName("while a price is in flight, the newest of each symbol waits, and goes once the send is done")
        void newestHeldBack() {
            HeldSends connection = new HeldSends();
            Outbox outbox = new Outbox(connection.session);

            outbox.offer(new Outbox.Price("price", "ACME", 1, 1));
            outbox.offer(new Outbox.Price("price", "ACME", 2, 2));
            outbox.offer(new Outbox.Price("price", "BOLT", 3, 1));
            outbox.offer(new Outbox.Price("price", "ACME", 4, 3));
            assertThat(connection.prices()).as(TODO_3.explain("The prices sent while ACME 1 is in flight and ACME 2,"
                    + " BOLT 3 and ACME 4 are offered: only the first, the rest wait")).containsExactly(1.0);
            connection.writeNext();
            connection.writeNext();

            assertThat(connection.prices()).as(TODO_3.explain("The prices sent once each send before was written:"
                    + " ACME 1, then the newest ACME held back (4, not 2), then BOLT 3")).containsExactly(1.0, 4.0, 3.0);
        }

        @Test
        @Order(4)
        @DisplayName("a reader gets each symbol's last price, and each symbol's seq only ever increases")
        void newestInOrder() {
            TestClient reader = lesson.connect();
            publish(3000);
            // The last price of each symbol: 2998, 2999 and 3000 (seq 1000 each).
            Map<String, Long> seqs = new HashMap<>();
            Map<String, Double> last = new HashMap<>();
            while (last.size() < 3 || last.values().stream().mapToDouble(Double::doubleValue).min().orElse(0) < 2998) {
                JsonNode price = Json.object(reader.nextText("the last price of each symbol", TODO_3), TODO_3);
                String symbol = price.path("symbol").asText();
                long seq = price.path("seq").asLong();
                assertThat(seq).as(TODO_3.explain("The seq of a " + symbol + " price after one of seq " + seqs.get(symbol)
                        + ": never lower, or the client saw an older price after a newer one")).isGreaterThan(seqs.getOrDefault(symbol, 0L));
                seqs.put(symbol, seq);
                last.put(symbol, price.path("price").asDouble());
            }
            assertThat(seqs).as(TODO_3.explain("The last seq of each symbol")).containsEntry("ACME", 1000L);
        }

        @Test
        @Order(5)
        @DisplayName("a ticker client that read nothing gets fresh prices once it reads, not the oldest")
        void freshAfterStall() {
            SlowClient slow = lesson.connectSlow();
            publish(30_000);
            int count = slow.closeAndCount();
            assertThat(count).as(TODO_3.explain("How many of 30,000 prices a client that read nothing then got:"
                    + " the newest per symbol, not a backlog")).isLessThan(1000);
        }

        @Test
        @Order(3)
        @DisplayName("a ticker client that stalled gets each symbol's newest price once it reads again")
        void newestAfterStall() {
            SlowClient slow = lesson.connectSlow();
            Outbox outbox = server().tickerClients().iterator().next();
            // Publish until the network is full and the server holds a price back for every symbol:
            // only then is there a choice between the oldest and the newest.
            int price = 0;
            while (outbox.pending() < SYMBOLS.length && price < 300_000) {
                price++;
                server().publish(SYMBOLS[price % SYMBOLS.length], price);
            }
            assertThat(outbox.pending()).as(TODO_3.explain("The prices held back, one per symbol, for a client that read"
                    + " none of " + price + " prices")).isEqualTo(SYMBOLS.length);
            Map<String, Double> newest = new HashMap<>();
            for (int last = price + 1; last <= price + SYMBOLS.length; last++) {
                server().publish(SYMBOLS[last % SYMBOLS.length], last);
                newest.put(SYMBOLS[last % SYMBOLS.length], (double) last);
            }

            // It reads again: what the network held, then what the server held back.
            Map<String, Double> seen = new HashMap<>();
            while (!seen.equals(newest)) {
                JsonNode received = Json.object(slow.nextText("the newest price of each symbol, published last", TODO_3), TODO_3);
                seen.put(received.path("symbol").asText(), received.path("price").asDouble());
            }
        }
    }
}
