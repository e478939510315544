package workbook.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;

@DisplayName("Live page, lesson 01: reply")
class ReplyPageTest {

    @RegisterExtension
    final LiveLesson<ReplyServer> lesson = new LiveLesson<>(ReplyServer::new);

    @Test
    @DisplayName("shows the welcome as soon as the page has connected")
    void welcome() throws Exception {
        LivePage page = lesson.open();

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed by the server")
                .contains(new Line("in", "text", ReplyEndpoint.WELCOME)));
        assertThat(page.status()).as("The page's connection status").isEqualTo("open");
    }

    @Test
    @DisplayName("shows the reply to a text typed in the box")
    void reply() throws Exception {
        LivePage page = lesson.open();

        page.send("hello from the page");

        eventually(() -> assertThat(page.lines()).as("The page's lines after sending a text")
                .containsSubsequence(new Line("out", "text", "hello from the page"),
                        new Line("in", "text", "Server received: \"hello from the page\"")));
    }

    @Test
    @DisplayName("connects to /json with ?path=/json, and shows a JSON reply pretty-printed")
    void json() throws Exception {
        LivePage page = lesson.open("/?path=/json");

        page.send("hi");

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed, on /json")
                .filteredOn(line -> line.label().equals("JSON")).singleElement()
                .satisfies(line -> assertThat(line.text()).as("A JSON reply, one field a line")
                        .startsWith("{\n  \"type\": \"response\",\n  \"content\": \"hi\",\n  \"timestamp\": ")));
    }

    @Test
    @DisplayName("says what is wrong with an address that is not a WebSocket address, and sends nothing")
    void badAddress() throws Exception {
        LivePage page = lesson.open();

        page.connectTo("localhost:8080");
        page.send("lost?");

        assertThat(page.status()).as("The page's status after connecting to localhost:8080 (no ws://)")
                .isEqualTo("not connected");
        assertThat(page.lines()).as("The page's lines after a bad address and a send")
                .filteredOn(line -> line.kind().equals("event")).extracting(Line::label)
                .containsSubsequence("close", "error", "not sent");
    }

    @Test
    @DisplayName("shows the close code when the server stops, and connects again on Reconnect")
    void closeAndReconnect() throws Exception {
        LivePage page = lesson.open();

        page.reconnect();

        eventually(() -> assertThat(page.received()).as("Welcomes after one reconnect")
                .filteredOn(line -> line.text().equals(ReplyEndpoint.WELCOME)).hasSize(2));
        page.send("still there?");
        eventually(() -> assertThat(page.received()).as("What the page shows after a send on the new connection")
                .contains(new Line("in", "text", "Server received: \"still there?\"")));
        // The old connection's close, which came after the new one opened, must not show as the status.
        assertThat(page.status()).as("The page's status after reconnecting").isEqualTo("open");
        assertThat(page.lines()).as("The page's connection events after one reconnect")
                .filteredOn(line -> line.kind().equals("event")).extracting(Line::label)
                .containsExactly("open", "close", "open");

        lesson.server().stop();

        eventually(() -> assertThat(page.status()).as("The page's status after the server stopped")
                .startsWith("closed 1001 going away"));
    }
}
