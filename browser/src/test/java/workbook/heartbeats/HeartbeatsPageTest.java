package workbook.heartbeats;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.testkit.TestClient;

@DisplayName("Live page, lesson 08: heartbeats")
class HeartbeatsPageTest {

    @Nested
    @DisplayName("with a heartbeat every second")
    class Pinged {

        /** Long enough for a browser on a busy machine to answer each ping before the next. */
        static final Duration EVERY = Duration.ofSeconds(1);

        @RegisterExtension
        final LiveLesson<HeartbeatsServer> lesson = new LiveLesson<>(() -> new HeartbeatsServer(EVERY, Duration.ofHours(1)));

        @Test
        @DisplayName("the browser answers every ping by itself, and its round trip is measured")
        void browserAnswers() throws Exception {
            lesson.open();
            eventually(() -> assertThat(lesson.server().clients()).as("Clients once the page is open").isEqualTo(1));

            Awaitility.await().atMost(TestClient.WAIT).untilAsserted(() -> assertThat(lesson.server().pongs())
                    .as("Pongs from the page, pinged every second").isGreaterThanOrEqualTo(2));
            assertThat(lesson.server().clients()).as("Clients after two pings: the page answered, and stays").isEqualTo(1);
            assertThat(lesson.server().roundTrips()).as("The page's round trip").singleElement()
                    .satisfies(rtt -> assertThat(rtt).isPositive());
        }
    }

    /**
     * On a server that never pings: on a busy machine a browser may answer a 100 ms heartbeat
     * late, be dropped (1006), and never see the codes under test.
     */
    @Nested
    @DisplayName("without heartbeats")
    class Closes {

        @RegisterExtension
        final LiveLesson<HeartbeatsServer> lesson = new LiveLesson<>(() -> new HeartbeatsServer(Duration.ofHours(1), Duration.ofHours(1)));

        @Test
        @DisplayName("a message from the page is closed with 1008 and its reason; a shutdown shows 1012")
        void closeCodes() throws Exception {
            LivePage page = lesson.open();
            eventually(() -> assertThat(lesson.server().clients()).as("Clients once the page is open").isEqualTo(1));

            // Open on the page's side too, so that the text is sent rather than refused by the page.
            eventually(() -> assertThat(page.status()).as("The page's status once it has connected").startsWith("open"));
            page.send("hello?");
            eventually(() -> assertThat(page.status()).as("The page's status after it sent a message to a push-only server")
                    .startsWith("closed 1008").contains("hello?"));

            // The closed connection gone from the server first: else the count of 1 below could be it,
            // the shutdown begin before the new one is counted, and the page's reconnect get a 503 (1006).
            eventually(() -> assertThat(lesson.server().clients()).as("Clients once the server has closed the page's connection").isZero());
            page.reconnect();
            eventually(() -> assertThat(lesson.server().clients()).as("Clients once the page has reconnected").isEqualTo(1));
            lesson.server().shutdown(Duration.ofSeconds(5));
            eventually(() -> assertThat(page.status()).as("The page's status after shutdown()").startsWith("closed 1012"));
        }
    }
}
