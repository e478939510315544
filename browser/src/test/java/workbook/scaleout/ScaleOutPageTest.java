package workbook.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;

// TODO (author): what the lesson's live page lets a learner try, as its manifest entry's `page` says.
@DisplayName("Live page, lesson 11: scale-out")
class ScaleOutPageTest {

    @RegisterExtension
    final LiveLesson<ScaleOutServer> lesson = new LiveLesson<>(ScaleOutServer::new);

    @Test
    @DisplayName("shows the welcome as soon as the page has connected")
    void welcome() throws Exception {
        LivePage page = lesson.open();

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed by the server")
                .contains(new Line("in", "text", ScaleOutEndpoint.WELCOME)));
    }
}
