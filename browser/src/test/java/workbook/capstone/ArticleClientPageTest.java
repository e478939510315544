package workbook.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;

/** The plain client in the article's style, at /article/, against the reference server. */
@DisplayName("Plain client page, lesson 12: the whole server")
class ArticleClientPageTest {

    @RegisterExtension
    final LiveLesson<CapstoneServer> lesson = new LiveLesson<>(
            () -> new CapstoneServer(Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(30)));

    @Test
    @DisplayName("greets on open and lists the welcome first, the answer to its greeting, a tick, an update, an event and the bytes")
    void everyPush() throws Exception {
        LivePage page = lesson.open("/article/");

        lesson.server().events().emit("row 7 saved");

        assertThat(page.lines()).as("What the plain client shows it sent, once open")
                .contains(new Line("out", "sent", "Hello from the plain client!"));
        eventually(() -> assertThat(page.received()).as("What the plain client lists as received")
                .startsWith(new Line("in", "text", CapstoneEndpoint.WELCOME))
                .contains(new Line("in", "binary, 5 bytes", "0 1 2 3 4"),
                        new Line("in", "text", "You sent: \"Hello from the plain client!\""))
                .anyMatch(line -> isTime(line.text()))
                .anySatisfy(line -> assertThat(line.text()).startsWith("{\"type\":\"update\""))
                .anySatisfy(line -> assertThat(line.text()).startsWith("{\"type\":\"new-data\"").contains("row 7 saved")));
    }

    /** Whether {@code text} is a time as ISO-8601 text: a tick. */
    static boolean isTime(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    @Test
    @DisplayName("shows the close code and reason when the server stops")
    void closeShown() throws Exception {
        LivePage page = lesson.open("/article/");
        eventually(() -> assertThat(page.received()).as("What the plain client lists once open")
                .contains(new Line("in", "text", "You sent: \"Hello from the plain client!\"")));

        lesson.server().stop();

        eventually(() -> assertThat(page.status()).as("The plain client's status after the server stopped")
                .startsWith("closed 1001"));
        assertThat(page.lines()).as("What the plain client lists when the connection closed")
                .anySatisfy(line -> assertThat(line.text()).startsWith("code 1001, reason:"));
    }
}
