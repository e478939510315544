package workbook.slowconsumers;

import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Eventually.eventually;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Close;
import workbook.testkit.FakeSession;
import workbook.testkit.FakeSession.Sends;
import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 7: Slow consumers and back-pressure")
class SlowConsumersTest {

    static final Todo TODO_1 = new Todo(1, "Outbox.java");
    static final Todo TODO_2 = new Todo(2, "SlowConsumersServer.java");
    static final Todo TODO_3 = new Todo(3, "Outbox.java and SlowConsumersServer.java");
    static final Todo ENDPOINT = Todo.given("ClientEndpoint.java");

    /**
     * Big enough that a client that reads nothing makes the server queue after a post or two: the
     * test kit gives each connection a small kernel send buffer, and a slow client a small window.
     */
    static final String LARGE = "x".repeat(16 * 1024);
    /** Posts enough to take a client that reads nothing well past the bound, and not many more. */
    static final int POSTS = 3 * SlowConsumersServer.MAX_BACKLOG;
    static final String[] SYMBOLS = {"ACME", "BOLT", "CRUX"};

    @RegisterExtension
    final LessonServerExtension<SlowConsumersServer> lesson = new LessonServerExtension<>(SlowConsumersServer::new);

    SlowConsumersServer server() {
        return lesson.server();
    }

    /** Fails with what was expected, what happened, and the TODO to work on, unless {@code met}. */
    static void expect(boolean met, Todo todo, String format, Object... args) {
        if (!met) {
            fail(todo.explain(String.format(format, args)));
        }
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
                // A short sleep, not a spin: the readers need the CPU this thread would take.
                LockSupport.parkNanos(50_000);
            }
            server().post(i + " " + LARGE);
        }
    }

    /**
     * A client's connection with no network under it, whose sends complete when and how the test
     * says: what would happen only now and then on a real connection happens on every run here.
     */
    static final class FakeConnection {
        final FakeSession session = new FakeSession("a connection whose sends complete as the test says");
        final Outbox outbox = new Outbox(session.session());
        /** For each send: the backlog as sendText began, then once its callback had run. */
        final List<Integer> backlogs = new ArrayList<>();

        FakeConnection(Sends sends) {
            session.sends(sends)
                    .onSend(text -> backlogs.add(outbox.backlog()))
                    .onCompleted(() -> backlogs.add(outbox.backlog()));
        }

        /** Completes the oldest send in flight, as Jetty does once it has written it. */
        void writeNext(Todo todo) {
            expect(session.inFlight() > 0, todo, "Expected a send in flight for the test to complete, but none was: %d sent in all", sent().size());
            session.completeNext();
        }

        List<String> sent() {
            return session.sent();
        }

        List<Double> prices() {
            return sent().stream().map(text -> Json.object(text, TODO_3).path("price").asDouble()).toList();
        }

        String closed() {
            Close close = session.closedWith();
            return close == null ? "it was not closed" : "it was closed with " + close.code() + " (" + close.reason() + ") after " + session.sentAtClose() + " posts";
        }
    }

    @Nested
    @Tag("backlog")
    @DisplayName("Task 1: Count per client what is sent but not yet written")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Backlog {

        @Test
        @Order(1)
        @DisplayName("a message counts in the backlog from before sendText: its callback may complete inside the call")
        void countedBeforeTheSend() {
            FakeConnection connection = new FakeConnection(Sends.AT_ONCE);
            connection.outbox.send("hello");
            expect(connection.backlogs.equals(List.of(1, 0)) && connection.outbox.backlog() == 0, TODO_1,
                    "Expected the backlog of a client whose connection writes each message at once, completing the callback"
                    + " inside sendText, to be 1 as sendText began, 0 once the callback had run, and 0 after send returned;"
                    + " but it was %d, then %d, then %d. Count the message before sendText: its callback may run before"
                    + " the line after sendText does",
                    connection.backlogs.get(0), connection.backlogs.get(1), connection.outbox.backlog());

            connection.session.sends(Sends.REFUSED_AT_ONCE);
            connection.outbox.send("refused");
            expect(connection.backlogs.equals(List.of(1, 0, 1, 0)) && connection.outbox.backlog() == 0, TODO_1,
                    "Expected the backlog of a client whose connection refuses a message at once (as Jetty does with its"
                    + " queue full), failing the callback inside sendText, to be 1 as sendText began, 0 once the callback"
                    + " had run, and 0 after send returned; but it was %d, then %d, then %d. A failed send leaves the"
                    + " backlog as a written one does",
                    connection.backlogs.get(2), connection.backlogs.get(3), connection.outbox.backlog());
        }

        @Test
        @Order(2)
        @DisplayName("each client has a backlog of its own, and a written send leaves it")
        void countedPerClient() {
            FakeConnection first = new FakeConnection(Sends.HELD);
            FakeConnection second = new FakeConnection(Sends.HELD);
            for (int i = 1; i <= 3; i++) {
                first.outbox.send("message " + i);
            }
            expect(first.outbox.backlog() == 3 && second.outbox.backlog() == 0, TODO_1,
                    "Expected the backlog of a client sent 3 messages, none written yet, to be 3, and that of another client"
                    + " sent none to be 0; but they were %d and %d. Each Outbox counts its own client's messages",
                    first.outbox.backlog(), second.outbox.backlog());
            for (int i = 1; i <= 3; i++) {
                first.writeNext(TODO_1);
            }
            expect(first.outbox.backlog() == 0, TODO_1,
                    "Expected the backlog of a client to be 0 once its 3 messages were written, but it was %d",
                    first.outbox.backlog());
        }

        @Test
        @Order(3)
        @DisplayName("a chat client that reads nothing has a backlog, counted per client")
        void stalledHasBacklog() {
            TestClient reader = lesson.connect("/chat");
            lesson.connectSlow("/chat");
            postPaced(POSTS, List.of(reader));

            int largest = largestBacklog(server().chatClients());
            expect(largest > 0, TODO_1, "Expected a backlog above 0 for a chat client that read none of %d posts of 16 KiB:"
                    + " most of them cannot be written yet, so they count; but the largest backlog was %d", POSTS, largest);
        }

        @Test
        @Order(4)
        @DisplayName("a client that has read everything has a backlog of 0")
        void readerHasNone() {
            TestClient reader = lesson.connect("/chat");
            postPaced(50, List.of(reader));
            for (int i = 1; i <= 50; i++) {
                reader.nextText("post " + i + " of 50", TODO_1);
            }
            eventually(() -> {
                int largest = largestBacklog(server().chatClients());
                expect(largest == 0, TODO_1, "Expected the backlog of a client that received every post to be 0, as each"
                        + " written send leaves it, but it was %d", largest);
            });
        }

        @Test
        @Order(5)
        @DisplayName("sends that fail, because the client went away, leave the backlog too")
        void failedSendsLeave() {
            TestClient reader = lesson.connect("/chat");
            SlowClient slow = lesson.connectSlow("/chat");
            postPaced(POSTS, List.of(reader));
            // The stalled client's outbox: the one with a backlog. The server forgets it once it closes.
            Outbox stalled = server().chatClients().stream().max(java.util.Comparator.comparingInt(Outbox::backlog)).orElseThrow();
            expect(stalled.backlog() > 0, TODO_1, "Expected a backlog above 0 for a chat client that read none of %d"
                    + " posts, but it was %d", POSTS, stalled.backlog());

            slow.close();

            eventually(() -> expect(stalled.backlog() == 0, TODO_1, "Expected the backlog of the client that read nothing"
                    + " to be 0 once it went away, but it stayed above 0: its sends failed, and a failed send must leave"
                    + " the backlog as a written one does"));
        }
    }

    @Nested
    @Tag("bound")
    @DisplayName("Task 2: Close a chat client that falls too far behind, with 1013")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Bound {

        @Test
        @Order(1)
        @DisplayName("the post that finds a chat client 100 behind closes it instead, and it gets no post after")
        void noPostPastTheBound() {
            int bound = SlowConsumersServer.MAX_BACKLOG;
            FakeConnection laggard = new FakeConnection(Sends.HELD);
            server().chat.put(laggard.session.session(), laggard.outbox);
            for (int i = 1; i <= bound; i++) {
                server().post("post " + i);
            }
            expect(laggard.sent().size() == bound && laggard.session.closedWith() == null, TODO_2,
                    "Expected a chat client that read none of %d posts to be sent all %d, and be still open, its backlog"
                    + " not yet past the bound; but it was sent %d, and %s",
                    bound, bound, laggard.sent().size(), laggard.closed());

            server().post("post " + (bound + 1));
            server().post("post " + (bound + 2));
            expect(laggard.session.closedWith() != null && laggard.sent().size() == bound, TODO_2,
                    "Expected post %d, which found the client %d behind, to close it instead of going to it, and no post"
                    + " after that to be sent to it; but %s, and it was sent %d posts in all, the last \"%s\"",
                    bound + 1, bound, laggard.closed(), laggard.sent().size(), laggard.sent().get(laggard.sent().size() - 1));
        }

        @Test
        @Order(2)
        @DisplayName("the backlog of a client that reads nothing never passes the bound")
        void bounded() {
            TestClient reader = lesson.connect("/chat");
            lesson.connectSlow("/chat");
            int largest = 0;
            for (int i = 0; i < POSTS / 100; i++) {
                postPaced(100, List.of(reader));
                largest = Math.max(largest, largestBacklog(server().chatClients()));
            }
            expect(largest <= SlowConsumersServer.MAX_BACKLOG, TODO_2, "Expected the backlog of a chat client that read none"
                    + " of %d posts never to pass %d, but it reached %d", POSTS, SlowConsumersServer.MAX_BACKLOG, largest);
        }

        @Test
        @Order(3)
        @DisplayName("a chat client that reads nothing is closed with 1013, and told to reconnect")
        void laggardClosed() {
            TestClient reader = lesson.connect("/chat");
            SlowClient slow = lesson.connectSlow("/chat");
            postPaced(POSTS, List.of(reader));

            Close close = slow.awaitClose("the server to close the client that read none of " + POSTS + " posts");
            expect(close.code() == 1013, TODO_2, "Expected a client too far behind to be closed with 1013 (try again later),"
                    + " but it was closed with %d (%s)", close.code(), close.reason());
            expect(close.reason().toLowerCase(java.util.Locale.ROOT).contains("reconnect"), TODO_2,
                    "Expected the reason of that close to tell the client to reconnect, but it was \"%s\"", close.reason());
        }

        @Test
        @Order(4)
        @DisplayName("the other clients get every post, in order, while one reads nothing")
        void othersGetAll() {
            List<TestClient> readers = List.of(lesson.connect("/chat"), lesson.connect("/chat"));
            SlowClient slow = lesson.connectSlow("/chat");
            postPaced(POSTS, readers);

            for (TestClient reader : readers) {
                for (int i = 1; i <= POSTS; i++) {
                    String text = reader.nextText("post " + i + " of " + POSTS, TODO_2);
                    String number = text.substring(0, Math.max(0, text.indexOf(' ')));
                    expect(number.equals(String.valueOf(i)), TODO_2, "Expected a reader's post %d to be post number %d,"
                            + " but it was number %s", i, i, number);
                }
            }
            int written = slow.closeAndCount();
            expect(written < POSTS, TODO_2, "Expected the client that read nothing to be closed before it was sent all %d"
                    + " posts, but all %d were written to it", POSTS, written);
        }

        @Test
        @Order(5)
        @DisplayName("a post from a chat client reaches every chat client as JSON")
        void throughTheEndpoint() {
            TestClient alice = lesson.connect("/chat");
            TestClient bob = lesson.connect("/chat");
            alice.send("hello");
            for (TestClient client : List.of(alice, bob)) {
                JsonNode post = Json.object(client.nextText("alice's post", TODO_2), TODO_2);
                expect(post.path("text").asText().equals("hello"), TODO_2, "Expected every chat client to receive alice's"
                        + " post with the text \"hello\", but one received %s", post);
            }
        }

        @Test
        @Order(6)
        @DisplayName("a binary message closes the chat client's connection with 1003: the chat reads text only")
        void binaryRefused() {
            SlowClient client = lesson.connectPlainAt("/chat");
            client.sendRefusable(new byte[] {1, 2, 3});
            Close close = client.awaitClose("the server to close the connection of a chat client that sent a binary message");
            expect(close.code() == 1003, ENDPOINT, "Expected a chat client that sent a binary message to be closed with"
                    + " 1003 (cannot accept this data), not have it dropped in silence, but it was closed with %d (%s)",
                    close.code(), close.reason());
        }
    }

    @Nested
    @Tag("conflate")
    @DisplayName("Task 3: Give a slow ticker client the newest price per symbol, not a backlog")
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
        @DisplayName("while a price is in flight, the newest of each symbol waits, and goes once the send is done")
        void newestHeldBack() {
            FakeConnection connection = new FakeConnection(Sends.HELD);
            Outbox outbox = connection.outbox;

            outbox.offer(new Outbox.Price("price", "ACME", 1, 1));
            outbox.offer(new Outbox.Price("price", "ACME", 2, 2));
            outbox.offer(new Outbox.Price("price", "BOLT", 3, 1));
            outbox.offer(new Outbox.Price("price", "ACME", 4, 3));
            expect(connection.prices().equals(List.of(1.0)), TODO_3, "Expected only ACME 1 to be sent while it is in"
                    + " flight and ACME 2, BOLT 3 and ACME 4 are offered, the rest held back; but the prices sent were %s",
                    connection.prices());
            connection.writeNext(TODO_3);
            expect(connection.prices().equals(List.of(1.0, 4.0)), TODO_3, "Expected one price to be sent once ACME 1 was"
                    + " written, the newest ACME held back (4, not 2), one at a time; but the prices sent were %s",
                    connection.prices());
            connection.writeNext(TODO_3);
            expect(connection.prices().equals(List.of(1.0, 4.0, 3.0)), TODO_3, "Expected BOLT 3 to be sent once ACME 4 was"
                    + " written, making the prices sent 1, 4, 3; but they were %s", connection.prices());
        }

        @Test
        @Order(2)
        @DisplayName("a ticker client whose connection writes each price at once gets each price as it is offered")
        void writtenAtOnce() {
            FakeConnection connection = new FakeConnection(Sends.AT_ONCE);
            for (int i = 1; i <= 3; i++) {
                connection.outbox.offer(new Outbox.Price("price", "ACME", i, i));
            }
            expect(connection.prices().equals(List.of(1.0, 2.0, 3.0)) && connection.outbox.pending() == 0, TODO_3,
                    "Expected a client whose connection writes each price at once, completing the callback inside sendText,"
                    + " to be sent ACME 1, 2 and 3 as each was offered, none held back; but the prices sent were %s, and %d"
                    + " held back. A send whose callback ran before sendText returned is no longer in flight",
                    connection.prices(), connection.outbox.pending());
        }

        @Test
        @Order(3)
        @DisplayName("the backlog of a ticker client that reads nothing stays at 1 while 2000 prices go out")
        void bounded() {
            lesson.connectSlow();
            int largest = 0;
            for (int i = 0; i < 20; i++) {
                publish(100);
                largest = Math.max(largest, largestBacklog(server().tickerClients()));
            }
            expect(largest <= 1, TODO_3, "Expected the backlog of a ticker client that read none of 2000 prices never to"
                    + " pass 1, one in flight and the rest held back, newest per symbol; but it reached %d", largest);
            for (Outbox client : server().tickerClients()) {
                expect(client.pending() <= SYMBOLS.length, TODO_3, "Expected at most one price held back per symbol, %d in"
                        + " all, but %d were", SYMBOLS.length, client.pending());
            }
        }

        @Test
        @Order(5)
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
                expect(seq > seqs.getOrDefault(symbol, 0L), TODO_3, "Expected each %s price to have a higher seq than the"
                        + " one before, %d, but one had seq %d: the client saw an older price after a newer one",
                        symbol, seqs.get(symbol), seq);
                seqs.put(symbol, seq);
                last.put(symbol, price.path("price").asDouble());
            }
            expect(seqs.get("ACME") == 1000L, TODO_3, "Expected the last ACME price to have seq 1000, but it had %d",
                    seqs.get("ACME"));
        }

        @Test
        @Order(6)
        @DisplayName("a ticker client that read nothing gets fresh prices once it reads, not the oldest")
        void freshAfterStall() {
            SlowClient slow = lesson.connectSlow();
            publish(5000);
            int count = slow.closeAndCount();
            expect(count < 1000, TODO_3, "Expected a client that read none of 5000 prices to get, once it read, fewer"
                    + " than 1000 of them: the newest per symbol, not a backlog; but it got %d", count);
        }

        @Test
        @Order(4)
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
            expect(outbox.pending() == SYMBOLS.length, TODO_3, "Expected one price held back per symbol, %d in all, for a"
                    + " client that read none of %d prices, but %d were", SYMBOLS.length, price, outbox.pending());
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
