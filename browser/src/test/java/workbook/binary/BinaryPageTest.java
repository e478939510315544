package workbook.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.Chromium;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;
import workbook.testkit.LessonServerExtension;

@DisplayName("Live page, lesson 05: binary")
class BinaryPageTest {

    @RegisterExtension
    final Chromium chromium = new Chromium();

    @RegisterExtension
    final LessonServerExtension<BinaryServer> lesson = new LessonServerExtension<>(BinaryServer::new);

    @Test
    @DisplayName("shows a binary message as its bytes: 0 1 2 3 4")
    void bytes() throws Exception {
        LivePage page = chromium.open(lesson.server().page());

        page.send("bytes");

        eventually(() -> assertThat(page.received()).as("What the page shows after sending \"bytes\"")
                .containsExactly(new Line("in", "binary, 5 bytes", "0 1 2 3 4")));
    }
}
