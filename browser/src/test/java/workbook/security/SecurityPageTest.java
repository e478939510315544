package workbook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 09: security at the handshake")
class SecurityPageTest {

    @RegisterExtension
    final LiveLesson<SecurityServer> lesson = new LiveLesson<>(SecurityServer::new);

    String token(String user) {
        return URLEncoder.encode(lesson.server().tokens().issue(user, Duration.ofMinutes(5)), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("an address without a token is refused before the upgrade, and says so plainly, with a command that shows the HTTP status")
    void refusedWithoutToken() throws Exception {
        LivePage page = lesson.open("/?token=" + token("alice"));

        page.connectTo("ws://localhost:" + lesson.server().page().getPort() + "/");

        eventually(() -> assertThat(page.status()).as("The page's status after connecting without a token")
                .startsWith("closed 1006").endsWith("refused before it opened"));
        assertThat(page.lines()).as("What the page says about the refused upgrade")
                .anySatisfy(line -> assertThat(line.text()).contains("did not upgrade").contains("curl -i")
                        .contains("http://localhost:" + lesson.server().page().getPort() + "/"));
    }

    @Test
    @DisplayName("the page with a valid token, from the server's own origin, opens, and a post in its own name comes back")
    void acceptedWithToken() throws Exception {
        LivePage page = lesson.open("/?token=" + token("alice"));
        eventually(() -> assertThat(page.status()).as("The page's status with a valid token").isEqualTo("open"));

        page.send("{\"type\":\"join\",\"room\":\"kitchen\"}");
        page.send("{\"type\":\"post\",\"room\":\"kitchen\",\"from\":\"alice\",\"text\":\"dinner\"}");
        eventually(() -> assertThat(page.received()).as("What alice's page shows")
                .anySatisfy(line -> assertThat(line.text()).contains("\"from\": \"alice\"").contains("\"text\": \"dinner\"")));

        page.send("{\"type\":\"post\",\"room\":\"kitchen\",\"from\":\"bob\",\"text\":\"forged\"}");
        eventually(() -> assertThat(page.status()).as("The page's status after a post in bob's name")
                .startsWith("closed 1008"));
    }
}
