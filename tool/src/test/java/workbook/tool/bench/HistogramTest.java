package workbook.tool.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The latency histogram")
@Timeout(10)
class HistogramTest {

    @Test
    @DisplayName("percentiles of 1 to 100,000 µs are within 3% of the exact ones, and the max is exact")
    void percentiles() {
        Histogram histogram = new Histogram();
        for (long micros = 1; micros <= 100_000; micros++) {
            histogram.record(micros * 1_000);
        }

        assertThat(histogram.count()).isEqualTo(100_000);
        assertThat(histogram.max()).isEqualTo(100_000_000);
        assertThat((double) histogram.percentile(50)).isCloseTo(50_000_000, within(1_500_000.0));
        assertThat((double) histogram.percentile(99)).isCloseTo(99_000_000, within(2_970_000.0));
        assertThat(histogram.percentile(100)).isEqualTo(100_000_000);
    }

    @Test
    @DisplayName("small values are exact; a value below 0 (a clock step) counts as 0; no values give 0")
    void edges() {
        Histogram histogram = new Histogram();
        assertThat(histogram.percentile(99)).isZero();

        histogram.record(-5);
        histogram.record(7);
        histogram.record(63);

        assertThat(histogram.percentile(1)).isZero();
        assertThat(histogram.percentile(50)).isEqualTo(7);
        assertThat(histogram.percentile(100)).isEqualTo(63);
    }

    @Test
    @DisplayName("every value falls in a bucket whose top is at least the value and within 1/32 of it")
    void buckets() {
        for (long value : new long[] {0, 1, 63, 64, 65, 127, 128, 1_000, 999_999_999, Long.MAX_VALUE / 3, Long.MAX_VALUE}) {
            long top = Histogram.top(Histogram.index(value));
            assertThat(top).as("the top of the bucket of %d", value).isGreaterThanOrEqualTo(value);
            assertThat(top - value).as("the top of the bucket of %d", value).isLessThanOrEqualTo(value / 32);
        }
    }
}
