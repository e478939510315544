package workbook.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;

@DisplayName("Live page, lesson 12: the whole server")
class CapstonePageTest {

    /** Quick timers, so that the page shows a tick and an update within the wait; the heartbeat at its default. */
    @RegisterExtension
    final LiveLesson<CapstoneServer> lesson = new LiveLesson<>(
            () -> new CapstoneServer(Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(30)));

    @Test
    @DisplayName("shows the welcome first, then the bytes, and answers a text with a quote and JSON with JSON")
    void welcomeAndAnswers() throws Exception {
        LivePage page = lesson.open();

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed by the server, first")
                .startsWith(new Line("in", "text", CapstoneEndpoint.WELCOME), new Line("in", "binary, 5 bytes", "0 1 2 3 4")));
        page.send("hello");
        page.send("{\"type\":\"message\",\"content\":\"how are you?\"}");
        eventually(() -> assertThat(page.received()).as("What the page shows after a text and a JSON message")
                .contains(new Line("in", "text", "You sent: \"hello\""))
                .anySatisfy(line -> assertThat(line.text()).contains("\"type\": \"response\"").contains("how are you?"))
                .anySatisfy(line -> assertThat(line.text()).contains("\"type\": \"update\"")));
    }

    @Test
    @DisplayName("a broadcast from one tab shows in both, and stop() shows 1001 in each")
    void broadcastAndStop() throws Exception {
        LivePage first = lesson.open();
        LivePage second = lesson.open();

        second.send("{\"type\":\"broadcast\",\"content\":\"hello all\"}");

        for (LivePage page : new LivePage[] {first, second}) {
            eventually(() -> assertThat(page.received()).as("What each tab shows after a broadcast from the second")
                    .anySatisfy(line -> assertThat(line.text()).contains("\"type\": \"broadcast\"").contains("hello all")));
        }
        lesson.server().stop();
        for (LivePage page : new LivePage[] {first, second}) {
            eventually(() -> assertThat(page.status()).as("Each tab's status after the server stopped").startsWith("closed 1001"));
        }
    }
}
