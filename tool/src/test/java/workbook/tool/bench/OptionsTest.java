package workbook.tool.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The bench's options")
@Timeout(10)
class OptionsTest {

    @Test
    @DisplayName("default to 100 clients, 100 messages a second, 5 s, none stalled; each can be set")
    void options() {
        assertThat(Bench.Options.parse(List.of())).isEqualTo(new Bench.Options(false, 100, 100, 5, 0));
        assertThat(Bench.Options.parse(List.of("--stalled", "2", "--solution", "--clients", "7", "--rate", "9", "--seconds", "3")))
                .isEqualTo(new Bench.Options(true, 7, 9, 3, 2));
    }

    @Test
    @DisplayName("a bad one is a one-line message")
    void badOptions() {
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--rate", "fast"))).hasMessage("--rate takes a whole number, 1 to 5000.");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--clients"))).hasMessage("--clients takes a whole number, 1 to 5000.");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--stalled", "-1"))).hasMessage("--stalled takes a whole number, 0 to 1000.");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--port", "80"))).hasMessage("Unknown option for bench: --port.");
    }
}
