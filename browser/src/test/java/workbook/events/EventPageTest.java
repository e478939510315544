package workbook.events;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.browser.Chromium;
import workbook.browser.LivePage;
import workbook.testkit.LessonServerExtension;

@DisplayName("Live page, lesson 04: event-driven")
class EventPageTest {

    final Repository repository = new Repository();

    @RegisterExtension
    @Order(1)
    final LessonServerExtension<EventServer> lesson = new LessonServerExtension<>(() -> new EventServer(repository));

    // After the server: the screenshot after each test shows the page before the server stops.
    @RegisterExtension
    @Order(2)
    final Chromium chromium = new Chromium();

    @Test
    @DisplayName("shows an event pushed from Java as new-data JSON")
    void event() throws Exception {
        LivePage page = chromium.open(lesson.server().page());
        eventually(() -> assertThat(lesson.server().clientCount()).as("Clients once the page is open").isEqualTo(1));

        repository.update("price=42");

        eventually(() -> assertThat(page.received()).as("What the page shows as pushed")
                .filteredOn(line -> line.label().equals("JSON")).singleElement()
                .satisfies(line -> assertThat(line.text())
                        .startsWith("{\n  \"type\": \"new-data\",\n  \"data\": \"price=42\",\n  \"timestamp\": ")));
    }
}
