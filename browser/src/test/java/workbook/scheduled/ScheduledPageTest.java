package workbook.scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 03: scheduled")
class ScheduledPageTest {

    @RegisterExtension
    final LiveLesson<ScheduledServer> lesson = new LiveLesson<>(
            () -> new ScheduledServer(Duration.ofMillis(200), Duration.ofMillis(300)));

    @Test
    @DisplayName("shows the clock's ticks and the JSON updates as they come")
    void clockAndUpdates() throws Exception {
        LivePage page = lesson.open();

        eventually(() -> {
            assertThat(page.received()).as("Clock ticks on the page (ISO instants, as text)")
                    .filteredOn(line -> line.label().equals("text"))
                    .anySatisfy(line -> assertThat(line.text()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
            assertThat(page.received()).as("Scheduled updates on the page (JSON)")
                    .filteredOn(line -> line.label().equals("JSON"))
                    .anySatisfy(line -> assertThat(line.text()).startsWith("{\n  \"type\": \"update\",\n  \"value\": "));
        });
    }
}
