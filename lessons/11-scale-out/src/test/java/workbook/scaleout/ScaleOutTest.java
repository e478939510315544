package workbook.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.LessonServerExtension;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 11: scale-out")
class ScaleOutTest {

    static final Todo TODO_1 = new Todo(1, "ScaleOutEndpoint.java");

    @RegisterExtension
    final LessonServerExtension<ScaleOutServer> lesson = new LessonServerExtension<>(ScaleOutServer::new);

    // A class a task, tagged with the task's id in the manifest, named "Task N: ...".
    @Nested
    @Tag("welcome")
    @DisplayName("Task 1: welcome on connect")
    class Welcome {

        @Test
        @DisplayName("a client gets the welcome text before it says anything")
        void welcomeFirst() {
            TestClient client = lesson.connect();

            assertThat(client.nextText("the welcome text", TODO_1))
                    .as(TODO_1.explain("The first message after connecting")).isEqualTo(ScaleOutEndpoint.WELCOME);
        }
    }
}
