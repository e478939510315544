package workbook.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 10: resume")
class ResumePageTest {

    /** A message's number as the page shows it, pretty-printed: "seq": 42. */
    static final Pattern SEQ = Pattern.compile("\"seq\": (\\d+)");

    @RegisterExtension
    final LiveLesson<ResumeServer> lesson = new LiveLesson<>(ResumeServer::new);

    /** The seqs of the messages the page shows, oldest first. */
    static List<Long> seqs(LivePage page) {
        return page.received().stream().map(line -> SEQ.matcher(line.text())).filter(Matcher::find)
                .map(found -> Long.parseLong(found.group(1))).toList();
    }

    @Test
    @DisplayName("when the server drops the connection mid-stream, the page reconnects on its own with ?epoch=&since= and shows every message once, in order")
    void resumesAfterADrop() throws Exception {
        ResumeServer server = lesson.server();
        LivePage page = lesson.open();
        eventually(() -> assertThat(server.subscribers()).as("Subscribers once the page is open").isEqualTo(1));
        for (int i = 0; i < 5; i++) {
            server.publish("before the drop");
        }
        eventually(() -> assertThat(seqs(page)).as("The seqs the page shows").containsExactly(1L, 2L, 3L, 4L, 5L));

        // As a network failure would: no close frame, the page sees 1006.
        server.dropAll();
        for (int i = 0; i < 3; i++) {
            server.publish("while the page is away");
        }

        server.publish("live");
        eventually(() -> assertThat(seqs(page)).as("The seqs the page shows, after it resumed")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList()));
        assertThat(page.status()).as("The page's status after it reconnected on its own").isEqualTo("open");
        assertThat(page.lines()).as("The page's lines").anySatisfy(line -> assertThat(line.text()).contains("since 5"));
    }
}
