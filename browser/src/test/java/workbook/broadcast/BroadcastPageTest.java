package workbook.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.Chromium;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;
import workbook.testkit.LessonServerExtension;

@DisplayName("Live page, lesson 02: broadcast")
class BroadcastPageTest {

    @RegisterExtension
    @Order(1)
    final LessonServerExtension<BroadcastServer> lesson = new LessonServerExtension<>(BroadcastServer::new);

    // After the server: the screenshot after each test shows the page before the server stops.
    @RegisterExtension
    @Order(2)
    final Chromium chromium = new Chromium();

    @Test
    @DisplayName("a text sent from tab A shows in tab B, and a broadcast from Java in both")
    void tabAToTabB() throws Exception {
        LivePage a = chromium.open(lesson.server().page());
        LivePage b = chromium.open(lesson.server().page());
        // A tab shows "open" once the upgrade is answered; the server counts it once onOpen has run.
        eventually(() -> assertThat(lesson.server().clientCount()).as("Clients once both tabs are open").isEqualTo(2));

        a.send("hello from tab A");
        lesson.server().broadcast("news for everyone");

        for (LivePage tab : new LivePage[] {a, b}) {
            eventually(() -> assertThat(tab.received()).as("What a tab shows as pushed")
                    .contains(new Line("in", "text", "hello from tab A"), new Line("in", "text", "news for everyone")));
        }
    }
}
