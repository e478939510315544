package workbook.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 06: rooms")
class RoomsPageTest {

    @RegisterExtension
    final LiveLesson<RoomsServer> lesson = new LiveLesson<>(RoomsServer::new);

    @Test
    @DisplayName("?user= on the page's address names its WebSocket; a direct message shows in both of bob's tabs, a post in the room's tab only")
    void namedTabs() throws Exception {
        LivePage alice = lesson.open("/?user=alice");
        LivePage bob1 = lesson.open("/?user=bob");
        LivePage bob2 = lesson.open("/?user=bob");
        eventually(() -> assertThat(lesson.server().connectionsOf("bob")).as("bob's connections once his two tabs are open").isEqualTo(2));

        alice.send("{\"type\":\"direct\",\"to\":\"bob\",\"text\":\"hi Bob\"}");
        for (LivePage tab : new LivePage[] {bob1, bob2}) {
            eventually(() -> assertThat(tab.received()).as("What a tab of bob's shows as pushed")
                    .anySatisfy(line -> assertThat(line.text()).contains("\"from\": \"alice\"").contains("\"text\": \"hi Bob\"")));
        }

        bob1.send("{\"type\":\"join\",\"room\":\"kitchen\"}");
        eventually(() -> assertThat(lesson.server().membersOf("kitchen")).as("kitchen's members after bob's first tab joined").isEqualTo(1));
        bob1.send("{\"type\":\"post\",\"room\":\"kitchen\",\"text\":\"dinner\"}");
        eventually(() -> assertThat(bob1.received()).as("What bob's tab in kitchen shows")
                .anySatisfy(line -> assertThat(line.text()).contains("\"room\": \"kitchen\"").contains("\"text\": \"dinner\"")));
        // Then a direct message to alice: what the post did to her tab came before it.
        bob1.send("{\"type\":\"direct\",\"to\":\"alice\",\"text\":\"after the post\"}");
        eventually(() -> assertThat(alice.received()).as("What alice's tab shows").anySatisfy(line -> assertThat(line.text()).contains("after the post")));
        assertThat(alice.received()).as("What alice's tab, in no room, shows").noneSatisfy(line -> assertThat(line.text()).contains("dinner"));
    }

    @Test
    @DisplayName("an address without ?user= is refused before the upgrade: the page shows the connection closed")
    void refusedWithoutName() throws Exception {
        LivePage page = lesson.open("/?user=alice");

        page.connectTo("ws://localhost:" + lesson.server().page().getPort() + "/");

        eventually(() -> assertThat(page.status()).as("The page's status after connecting without a name").startsWith("closed 1006"));
    }
}
