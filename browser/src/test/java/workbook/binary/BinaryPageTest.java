package workbook.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;

@DisplayName("Live page, lesson 05: binary")
class BinaryPageTest {

    @RegisterExtension
    final LiveLesson<BinaryServer> lesson = new LiveLesson<>(BinaryServer::new);

    @Test
    @DisplayName("shows each kind of message for what it is: text, JSON pretty-printed, binary as its bytes 0 1 2 3 4")
    void kinds() throws Exception {
        LivePage page = lesson.open();

        page.send("hello");
        page.send("json");
        page.send("bytes");

        eventually(() -> assertThat(page.received()).as("What the page shows after sending hello, json and bytes")
                .containsExactly(
                        new Line("in", "text", "Server received: \"hello\""),
                        new Line("in", "JSON", "{\n  \"type\": \"bytes\",\n  \"data\": [0, 1, 2, 3, 4]\n}"),
                        new Line("in", "binary, 5 bytes", "0 1 2 3 4")));
    }

    @Test
    @DisplayName("bytes sent from the page's console come back reversed; too many close it with 1009")
    void fromTheConsole() throws Exception {
        LivePage page = lesson.open();

        page.console("socket.send(new Uint8Array([9, 8, 7]))");

        eventually(() -> assertThat(page.received()).as("What the page shows after sending the bytes 9 8 7")
                .containsExactly(new Line("in", "binary, 3 bytes", "7 8 9")));

        page.console("socket.send(new Uint8Array(300 * 1024))");

        eventually(() -> assertThat(page.status()).as("The page's status after sending 300 KiB")
                .startsWith("closed 1009 message too big"));
    }
}
