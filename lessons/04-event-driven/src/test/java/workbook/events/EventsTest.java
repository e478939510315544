package workbook.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static workbook.testkit.Eventually.eventually;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.events.Repository.DataChanged;
import workbook.testkit.Eventually;
import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 4: Push when something happens")
class EventsTest {

    static final Todo TODO_1 = new Todo(1, "EventServer.java");
    static final Todo TODO_2 = new Todo(2, "EventServer.java");
    static final Todo TODO_3 = new Todo(3, "EventServer.java");

    final Repository repository = new Repository();

    @RegisterExtension
    final LessonServerExtension<EventServer> lesson = new LessonServerExtension<>(() -> new EventServer(repository))
            // While an event waits for a subscriber (the server's onNext has not returned), the
            // server may push it yet; once none waits, it is as settled as one that only answers.
            .pushingOnItsOwn(server -> repository.lag() > 0);

    @AfterEach
    void closeRepository() {
        repository.close();
    }

    void assertSubscribed() {
        // No need to wait: the repository counts a subscriber as soon as subscribe returns.
        assertThat(repository.subscriberCount())
                .as(TODO_1.explain("Subscribers of the repository once the server has started")).isEqualTo(1);
    }

    /** Connects {@code n} clients and waits until the server counts them, so none misses an event. */
    List<TestClient> connected(int n) {
        List<TestClient> clients = IntStream.range(0, n).mapToObj(i -> lesson.connect()).toList();
        assertThat(lesson.server().clientCount()).as("Clients the server counts once they have connected").isEqualTo(n);
        return clients;
    }

    /** Reads one pushed event and checks that it is {"type":"new-data","data":data,"timestamp":…}. */
    static void assertNewData(TestClient client, String data, long since) {
        JsonNode message = Json.object(client.nextText("the event \"" + data + "\", pushed as JSON", TODO_2), TODO_2);
        assertThat(message.path("type").asText()).as(TODO_2.explain("The \"type\" in " + message)).isEqualTo("new-data");
        assertThat(message.path("data").asText()).as(TODO_2.explain("The \"data\" in " + message)).isEqualTo(data);
        assertThat(message.path("timestamp").asLong())
                .as(TODO_2.explain("The \"timestamp\", in epoch milliseconds, in " + message))
                .isBetween(since, System.currentTimeMillis());
    }

    @Nested
    @Tag("subscribe")
    @DisplayName("Task 1: Subscribe to the repository on start")
    class Subscribe {

        @Test
        @DisplayName("once started, the server is the repository's one subscriber")
        void subscribes() {
            assertSubscribed();
        }

        @Test
        @DisplayName("the server keeps the subscription and asks for every event, not only the first")
        void requests() {
            assertSubscribed();

            eventually(() -> assertThat(lesson.server().hasSubscription())
                    .as(TODO_1.explain("Whether onSubscribe handed the subscription to the field (complete)")).isTrue());
            eventually(() -> assertThat(repository.demand())
                    .as(TODO_1.explain("The events the server asked for (subscription.request)")).isPositive());

            // Once the server's onNext has returned for an event (none waits), what it still asks for
            // is what the next event needs: known at once, with no wait for an event that never comes.
            repository.update("first");
            eventually(() -> assertThat(repository.lag()).as("Events that wait for the server's onNext").isZero());
            assertThat(repository.demand()).as(TODO_1.explain("The events the server still asks for after one came and went"
                    + " (request(n) asks for n events in all, not for events from now on)")).isPositive();
        }
    }

    @Nested
    @Tag("push")
    @DisplayName("Task 2: Push each event to every client, as JSON")
    class Push {

        @Test
        @DisplayName("an event published from another thread reaches every client as JSON")
        void reachesEveryClient() {
            assertSubscribed();
            List<TestClient> clients = connected(3);
            long before = System.currentTimeMillis();

            CompletableFuture.runAsync(() -> repository.update("price=42")).join();

            for (TestClient client : clients) {
                assertNewData(client, "price=42", before);
            }
        }

        @Test
        @DisplayName("data with quotes, a backslash and a line break arrives as it was published")
        void dataAsPublished() {
            assertSubscribed();
            TestClient client = connected(1).get(0);
            long before = System.currentTimeMillis();
            String data = "name=\"Ada\" path=C:\\data\nnext line";

            repository.update(data);

            assertNewData(client, data, before);
        }

        @Test
        @DisplayName("no event, no message: a client's first message is the first event after it connected")
        void onlyEvents() {
            assertSubscribed();
            TestClient client = connected(1).get(0);
            long before = System.currentTimeMillis();

            repository.update("first");

            assertNewData(client, "first", before);
        }

        @Test
        @DisplayName("a slow and a failing subscriber hold up neither the publisher nor the clients")
        void slowSubscribers() throws InterruptedException {
            assertSubscribed();
            TestClient client = connected(1).get(0);
            CountDownLatch release = new CountDownLatch(1);
            repository.subscribe(new TestSubscriber(event -> await(release)));
            repository.subscribe(new TestSubscriber(event -> {
                throw new IllegalStateException("a subscriber that fails");
            }));
            long before = System.currentTimeMillis();

            try {
                assertTimeoutPreemptively(Eventually.LIMIT, () -> IntStream.rangeClosed(1, 100).forEach(i -> repository.update("event " + i)),
                        "100 updates, with one subscriber stuck: update() must not wait for it");
                for (int i = 1; i <= 100; i++) {
                    assertNewData(client, "event " + i, before);
                }
            } finally {
                release.countDown();
            }
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Nested
    @Tag("unsubscribe")
    @DisplayName("Task 3: Unsubscribe on stop")
    class Unsubscribe {

        @Test
        @DisplayName("after stop() the server is no longer subscribed, and publishing does not throw")
        void unsubscribes() throws Exception {
            assertSubscribed();

            lesson.server().stop();

            eventually(() -> assertThat(repository.subscriberCount())
                    .as(TODO_3.explain("Subscribers of the repository after the server stopped")).isZero());
            assertThatCode(() -> repository.update("after stop"))
                    .as(TODO_3.explain("An update after the server stopped")).doesNotThrowAnyException();
        }
    }

    /** A subscriber that takes every event and hands it to {@code onEvent}. */
    record TestSubscriber(java.util.function.Consumer<DataChanged> onEvent) implements Flow.Subscriber<DataChanged> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(DataChanged event) {
            onEvent.accept(event);
        }

        @Override
        public void onError(Throwable failure) {
        }

        @Override
        public void onComplete() {
        }
    }
}
