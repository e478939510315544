package workbook.tool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The bench's accounting of deliveries")
@Timeout(10)
class StatsTest {

    @Test
    @DisplayName("a message lost, one twice and one late are told apart, per client; messages sent outside the window do not count")
    void lostDuplicatedReordered() {
        Stats stats = new Stats(2, 1_000, 2_000);
        for (long seq = 0; seq < 4; seq++) {
            stats.published(new Stamp(seq, 1_000 + seq));
        }
        stats.published(new Stamp(4, 2_000));

        for (long seq : new long[] {0, 1, 2, 3}) {
            stats.received(0, new Stamp(seq, 1_000 + seq), 1_500);
        }
        for (long seq : new long[] {0, 2, 1, 2, 4}) {
            stats.received(1, new Stamp(seq, seq == 4 ? 2_000 : 1_000 + seq), 1_500);
        }

        assertThat(stats.published()).isEqualTo(4);
        assertThat(stats.deliveries()).isEqualTo(7);
        assertThat(stats.lost()).isEqualTo(1);
        assertThat(stats.duplicated()).isEqualTo(1);
        assertThat(stats.reordered()).isEqualTo(1);
        assertThat(stats.latency.max()).isEqualTo(500);
    }

    @Test
    @DisplayName("a client's record of what it got stays right past its span of numbers, in constant memory")
    void span() {
        Stats.Seen seen = new Stats.Seen();
        for (long seq = 0; seq < 3 * Stats.Seen.SPAN; seq += 3) {
            assertThat(seen.add(seq)).isEqualTo(Stats.Arrival.IN_ORDER);
        }
        long highest = 3 * Stats.Seen.SPAN - 3;

        assertThat(seen.add(highest)).isEqualTo(Stats.Arrival.DUPLICATE);
        assertThat(seen.add(highest - 3)).isEqualTo(Stats.Arrival.DUPLICATE);
        assertThat(seen.add(highest - 1)).isEqualTo(Stats.Arrival.LATE);
        assertThat(seen.add(highest - 1)).isEqualTo(Stats.Arrival.DUPLICATE);
        assertThat(seen.add(highest + 5 * Stats.Seen.SPAN)).isEqualTo(Stats.Arrival.IN_ORDER);
        assertThat(seen.add(highest)).as("older than the span: late, not a duplicate").isEqualTo(Stats.Arrival.LATE);
    }
}
