package workbook.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.Chromium;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;
import workbook.testkit.LessonServerExtension;

@DisplayName("Live page, lesson 01: reply")
class ReplyPageTest {

    @RegisterExtension
    final Chromium chromium = new Chromium();

    @RegisterExtension
    final LessonServerExtension<ReplyServer> lesson = new LessonServerExtension<>(ReplyServer::new);

    @Test
    @DisplayName("shows the welcome as soon as the page has connected")
    void welcome() throws Exception {
        LivePage page = chromium.open(lesson.server().page());

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed by the server")
                .contains(new Line("in", "text", ReplyEndpoint.WELCOME)));
        assertThat(page.status()).as("The page's connection status").isEqualTo("open");
    }

    @Test
    @DisplayName("shows the reply to a text typed in the box")
    void reply() throws Exception {
        LivePage page = chromium.open(lesson.server().page());

        page.send("hello from the page");

        eventually(() -> assertThat(page.lines()).as("The page's lines after sending a text")
                .containsSubsequence(new Line("out", "text", "hello from the page"),
                        new Line("in", "text", "Server received: \"hello from the page\"")));
    }

    @Test
    @DisplayName("connects to /json with ?path=/json, and shows a JSON reply pretty-printed")
    void json() throws Exception {
        LivePage page = chromium.open(lesson.server().page().resolve("/?path=/json"));

        page.send("hi");

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed, on /json")
                .filteredOn(line -> line.label().equals("JSON")).singleElement()
                .satisfies(line -> assertThat(line.text()).as("A JSON reply, one field a line")
                        .startsWith("{\n  \"type\": \"response\",\n  \"content\": \"hi\",\n  \"timestamp\": ")));
    }

    @Test
    @DisplayName("shows the close code when the server stops, and connects again on Reconnect")
    void closeAndReconnect() throws Exception {
        LivePage page = chromium.open(lesson.server().page());
        eventually(() -> assertThat(page.status()).as("The page's status once loaded").isEqualTo("open"));

        page.reconnect();

        eventually(() -> assertThat(page.received()).as("Welcomes after one reconnect")
                .filteredOn(line -> line.text().equals(ReplyEndpoint.WELCOME)).hasSize(2));

        lesson.server().stop();

        eventually(() -> assertThat(page.status()).as("The page's status after the server stopped")
                .startsWith("closed 1001 going away"));
    }
}
