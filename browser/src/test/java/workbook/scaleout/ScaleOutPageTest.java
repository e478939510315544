package workbook.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 11: scale-out")
class ScaleOutPageTest {

    /** A message's stream id as the page shows it, pretty-printed: "seq": "1733450000000-0". */
    static final Pattern SEQ = Pattern.compile("\"seq\": \"\\d+-\\d+\"");

    final LocalRedis redis = LocalRedis.shared();

    @RegisterExtension
    final LiveLesson<ScaleOutServer> lesson = new LiveLesson<>(() -> new ScaleOutServer(redis.uri()));

    /** Whether the page shows a message pushed by the server with this text and a stream id. */
    static boolean shows(LivePage page, String text) {
        return page.received().stream().anyMatch(line -> line.text().contains("\"text\": \"" + text + "\"")
                && SEQ.matcher(line.text()).find());
    }

    @Test
    @DisplayName("a line sent from the page of instance A shows on the page of instance B, and on A's, with its stream id; B's page resumes on its own after a drop")
    void acrossInstances() throws Exception {
        ScaleOutServer a = lesson.server();
        ScaleOutServer b = lesson.startAnother(() -> new ScaleOutServer(redis.uri()));
        LivePage onA = lesson.open();
        LivePage onB = lesson.open(b, "/");
        eventually(() -> assertThat(b.subscribers()).as("Subscribers of B once its page is open").isEqualTo(1));

        onA.send("hello from A");
        eventually(() -> assertThat(shows(onB, "hello from A")).as("The page of B shows A's message, with its id").isTrue());
        eventually(() -> assertThat(shows(onA, "hello from A")).as("The page of A shows its own message, from Redis").isTrue());

        // As a network failure would: B's page reconnects with ?epoch=&since=<the id it saw last>.
        b.dropAll();
        onA.send("while B's page is away");
        eventually(() -> assertThat(shows(onB, "while B's page is away"))
                .as("The page of B, after it resumed, shows what it missed").isTrue());
        assertThat(onB.status()).as("The status of B's page after it reconnected on its own").isEqualTo("open");
        assertThat(onB.lines()).as("B's page's lines").anySatisfy(line -> assertThat(line.text()).containsPattern("since \\d+-\\d+"));
        assertThat(a.subscribers()).as("Subscribers of A").isEqualTo(1);
    }
}
