package workbook.events;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.LiveLesson;
import workbook.browser.LivePage;

@DisplayName("Live page, lesson 04: event-driven")
class EventPageTest {

    final Repository repository = new Repository();

    @RegisterExtension
    final LiveLesson<EventServer> lesson = new LiveLesson<>(() -> new EventServer(repository));

    @Test
    @DisplayName("shows an event pushed from Java as new-data JSON")
    void event() throws Exception {
        LivePage page = lesson.open();
        eventually(() -> assertThat(lesson.server().clientCount()).as("Clients once the page is open").isEqualTo(1));

        repository.update("price=42");

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed")
                .filteredOn(line -> line.label().equals("JSON")).singleElement()
                .satisfies(line -> assertThat(line.text())
                        .startsWith("{\n  \"type\": \"new-data\",\n  \"data\": \"price=42\",\n  \"timestamp\": ")));
    }
}
