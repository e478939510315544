package workbook.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import workbook.tool.Mistakes.Edit;

/** The small text tools behind ./workbook solution and the corpus of mistakes. */
@DisplayName("Code lines, and the corpus' edits")
class CodeLinesTest {

    @Test
    @DisplayName("comments, doc tags, callouts and layout are no difference; the text of a literal is")
    void sameCode() {
        String reference = """
                // tag::reply[]
                /** Answers. */
                void onMessage(Session session, String message) {
                    session.sendText("Server received: " + message, Sends.LOG_FAILURE); // <1>
                }
                // end::reply[]
                """;
        String laidOut = """
                void onMessage(Session session,String message)
                {
                    /* mine */ session.sendText("Server received: "
                        + message,   Sends.LOG_FAILURE);
                }
                """;

        assertThat(CodeLines.same(reference, laidOut)).isTrue();
        assertThat(CodeLines.same(reference, laidOut.replace("received: ", "received:"))).as("a space less in a literal").isFalse();
        assertThat(CodeLines.of("String url = \"ws://localhost\"; // where")).containsExactly("String url = \"ws://localhost\";");
    }

    @Test
    @DisplayName("an edit replaces text that occurs exactly once, and says so otherwise")
    void edits() {
        Edit edit = new Edit("A.java", "new HashSet<>()", "ConcurrentHashMap.newKeySet()");

        assertThat(edit.applyTo("Set<S> s = new HashSet<>();", "m")).isEqualTo("Set<S> s = ConcurrentHashMap.newKeySet();");
        assertThatThrownBy(() -> edit.applyTo("Set<S> s;", "m")).hasMessageContaining("it is not there");
        assertThatThrownBy(() -> edit.applyTo("new HashSet<>(); new HashSet<>();", "m")).hasMessageContaining("more than once");
    }

    @Test
    @DisplayName("recording a verdict replaces only that entry's, comments and all else kept")
    void record(@TempDir Path dir) throws IOException {
        Path corpus = dir.resolve("mistakes.yaml");
        Files.writeString(corpus, """
                # The corpus.
                mistakes:
                  - id: first   # a comment
                    title: First
                    verdict: |
                      old
                      text
                  - id: second
                    title: Second
                    verdict: x
                """);

        Mistakes.recordVerdict(corpus, "first", "First failure: a\n  b");
        Mistakes.recordVerdict(corpus, "second", "Another");

        assertThat(corpus).hasContent("""
                # The corpus.
                mistakes:
                  - id: first   # a comment
                    title: First
                    verdict: |
                      First failure: a
                        b
                  - id: second
                    title: Second
                    verdict: |
                      Another
                """);
    }
}
