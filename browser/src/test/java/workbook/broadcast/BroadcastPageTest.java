package workbook.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;
import workbook.browser.LivePage.Line;

@DisplayName("Live page, lesson 02: broadcast")
class BroadcastPageTest {

    @RegisterExtension
    final LiveLesson<BroadcastServer> lesson = new LiveLesson<>(BroadcastServer::new);

    @Test
    @DisplayName("a text sent from tab A shows in tab B, and a broadcast from Java in both")
    void tabAToTabB() throws Exception {
        LivePage a = lesson.open();
        LivePage b = lesson.open();
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
