package workbook.slowconsumers;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 07: slow consumers")
class SlowConsumersPageTest {

    @RegisterExtension
    final LiveLesson<SlowConsumersServer> lesson = new LiveLesson<>(SlowConsumersServer::new);

    @Test
    @DisplayName("the page on / is a ticker client: a price published from Java shows, with its symbol and seq")
    void ticker() throws Exception {
        LivePage page = lesson.open();
        eventually(() -> assertThat(lesson.server().tickerClients()).as("The ticker's clients once the page is open").hasSize(1));

        lesson.server().publish("ACME", 101.25);

        eventually(() -> assertThat(page.received()).as("What the ticker page shows as pushed")
                .anySatisfy(line -> assertThat(line.text()).contains("\"symbol\": \"ACME\"").contains("101.25").contains("\"seq\": 1")));
    }

    @Test
    @DisplayName("two pages on ?path=/chat chat: what one sends shows in both, as a chat post")
    void chat() throws Exception {
        LivePage alice = lesson.open("/?path=/chat");
        LivePage bob = lesson.open("/?path=/chat");
        eventually(() -> assertThat(lesson.server().chatClients()).as("The chat's clients once both pages are open").hasSize(2));

        alice.send("hello from alice");

        for (LivePage page : new LivePage[] {alice, bob}) {
            eventually(() -> assertThat(page.received()).as("What a chat page shows as pushed")
                    .anySatisfy(line -> assertThat(line.text()).contains("\"type\": \"chat\"").contains("hello from alice")));
        }
    }
}
