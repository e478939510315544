package workbook.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Background.inBackground;
import static workbook.testkit.Background.pushWhile;
import static workbook.testkit.Background.rethrowFailure;
import static workbook.testkit.Eventually.eventually;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Eventually;
import workbook.testkit.FakeSession;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 2: Broadcast to every client")
class BroadcastTest {

    static final Todo TODO_1 = new Todo(1, "ChatEndpoint.java");
    static final Todo TODO_2 = new Todo(2, "BroadcastServer.java");
    static final Todo TODO_3 = new Todo(3, "ChatEndpoint.java");

    @RegisterExtension
    final LessonServerExtension<BroadcastServer> lesson = new LessonServerExtension<>(BroadcastServer::new);

    /** Connects {@code n} clients and checks that the server counts them all (task 1). */
    List<TestClient> connected(int n) {
        List<TestClient> clients = IntStream.range(0, n).mapToObj(i -> lesson.connect()).toList();
        // No need to wait: a connect returns once the server's @OnWebSocketOpen has.
        assertThat(lesson.server().clientCount())
                .as(TODO_1.explain("The server's client count after " + n + " clients connected (broadcasts reach only the sessions it tracks)"))
                .isEqualTo(n);
        return clients;
    }

    void awaitCount(int expected, String when) {
        eventually(() -> assertThat(lesson.server().clientCount())
                .as(TODO_1.explain("The server's client count " + when)).isEqualTo(expected));
    }

    @Nested
    @Tag("track")
    @DisplayName("Task 1: Track the open sessions")
    class Track {

        @Test
        @DisplayName("the count follows clients as they connect")
        void countsConnections() {
            connected(3);
        }

        @Test
        @DisplayName("a client that closes is forgotten")
        void forgetsClosed() {
            List<TestClient> clients = connected(2);

            clients.get(0).close();

            awaitCount(1, "after one of two clients closed");
        }

        @Test
        @DisplayName("a client that vanishes without a close frame is forgotten")
        void forgetsVanished() {
            List<TestClient> clients = connected(2);

            clients.get(0).vanish();

            awaitCount(1, "after one of two clients vanished");
        }
    }

    @Nested
    @Tag("broadcast")
    @DisplayName("Task 2: Broadcast to every open client")
    // In this order: a blocking broadcast fails the first every run; an unsafe set of sessions the
    // second, and so always with its message, while a later test that drops a client during
    // broadcasts would catch either only sometimes.
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Broadcast {

        /** Clients that stay, and others that come and go, in the test of churn. */
        static final int STAYERS = 10;
        static final int PASSERS = 10;

        @Test
        @DisplayName("every connected client receives a broadcast")
        void everyClient() {
            List<TestClient> clients = connected(3);

            lesson.server().broadcast("news for all");

            for (TestClient client : clients) {
                assertThat(client.nextText("the broadcast \"news for all\"", TODO_2))
                        .as(TODO_2.explain("What each client received")).isEqualTo("news for all");
            }
        }

        @Test
        @DisplayName("a client killed in the middle of a burst does not stop the others receiving every message, in order")
        void survivesVanishingClient() {
            List<TestClient> clients = connected(3);
            TestClient victim = clients.get(0);
            int burst = 200;

            for (int i = 1; i <= burst; i++) {
                if (i == burst / 2) {
                    victim.vanish();
                }
                lesson.server().broadcast("message " + i);
            }

            for (TestClient survivor : clients.subList(1, clients.size())) {
                for (int i = 1; i <= burst; i++) {
                    assertThat(survivor.nextText("broadcast message " + i + " of " + burst, TODO_2))
                            .as(TODO_2.explain("Message " + i + " of the burst, after another client vanished"))
                            .isEqualTo("message " + i);
                }
            }
        }

        @Test
        @Order(2)
        @DisplayName("a broadcast goes on through the sessions while another thread adds one")
        void joinDuringABroadcast() throws Throwable {
            FakeSession newcomer = new FakeSession("newcomer");
            // At the walk's first send another thread adds a session, as Jetty's do on a connect: the
            // walk goes on through a set changed under it, on every run, not when threads happen to meet.
            FakeSession.Walk walk = FakeSession.meetingAWalk(3, "join(newcomer)", () -> lesson.server().join(newcomer.session()));
            walk.members().forEach(member -> lesson.server().join(member.session()));

            lesson.server().broadcast("tick");
            walk.rethrowFailure();

            for (FakeSession member : walk.members()) {
                assertThat(member.sent()).as(TODO_2.explain("What each of the 3 clients received of a broadcast during which"
                        + " another connected")).containsExactly("tick");
            }
            assertThat(lesson.server().clientCount()).as(TODO_1.explain("The server's client count after a fourth connected"
                    + " during a broadcast")).isEqualTo(4);
        }

        @Test
        @Order(3)
        @DisplayName("broadcasts go on while clients come and go on Jetty's threads")
        void churn() throws Throwable {
            // Stayers make each walk through the set long enough that the ticks meet the churn.
            List<TestClient> stayers = connected(STAYERS);
            stayers.forEach(client -> client.skipping("tick"));
            // Jetty's threads add and remove sessions while this thread walks the set, again and
            // again (the test before makes that meeting happen on every run).
            CompletableFuture<Void> comings = inBackground(() -> {
                for (int i = 0; i < PASSERS; i++) {
                    TestClient passing = lesson.connect();
                    if (i % 2 == 0) {
                        passing.close();
                    } else {
                        passing.vanish();
                    }
                }
            });
            // Ticks all through the churn, so that every coming and going meets a walk of the set.
            pushWhile(comings, stayers, () -> lesson.server().broadcast("tick"));
            rethrowFailure(comings);

            awaitCount(STAYERS, "after " + PASSERS + " clients came and went while broadcasts ran");
            lesson.server().broadcast("after the churn");
            for (TestClient client : stayers) {
                assertThat(client.nextText("the broadcast \"after the churn\"", TODO_2))
                        .as(TODO_2.explain("What each client received after others came and went")).isEqualTo("after the churn");
            }
        }

        @Test
        @Order(1)
        @DisplayName("a client that reads nothing does not hold up the others")
        void stalledClient() throws Throwable {
            List<TestClient> readers = connected(2);
            lesson.connectSlow();
            awaitCount(3, "after 2 clients and one that reads nothing connected");
            // Far more than the network holds for a client that reads nothing.
            String large = "x".repeat(32 * 1024);
            int count = 20;

            CompletableFuture<Void> broadcasts = inBackground(() -> {
                for (int i = 1; i <= count; i++) {
                    lesson.server().broadcast(i + " " + large);
                }
            });
            try {
                broadcasts.get(Eventually.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("Expected %d broadcasts to return at once, but they had not within %d s while one client read"
                        + " nothing. Does broadcast wait for each send to complete? Then a client that stops reading"
                        + " holds up every other.%n  -> %s", count, Eventually.LIMIT.toSeconds(), TODO_2);
            }
            rethrowFailure(broadcasts);

            for (TestClient reader : readers) {
                for (int i = 1; i <= count; i++) {
                    assertThat(shortened(reader.nextText("broadcast " + i + " of " + count, TODO_2)))
                            .as(TODO_2.explain("Broadcast " + i + " of " + count + " while another client read nothing"))
                            .isEqualTo(shortened(i + " " + large));
                }
            }
        }
    }

    /** A long message as a failure shows it: its start and its length. */
    static String shortened(String text) {
        return text.length() <= 20 ? text : text.substring(0, 12) + "... (" + text.length() + " characters)";
    }

    @Nested
    @Tag("relay")
    @DisplayName("Task 3: Relay what a client says to everyone")
    class Relay {

        @Test
        @DisplayName("a message from A reaches A, B and C unchanged")
        void relays() {
            List<TestClient> clients = connected(3);

            clients.get(0).send("hi all, Привет 👋");

            for (TestClient client : clients) {
                assertThat(client.nextText("the message A sent, relayed", TODO_3))
                        .as(TODO_3.explain("What each client received after A spoke")).isEqualTo("hi all, Привет 👋");
            }
        }
    }
}
