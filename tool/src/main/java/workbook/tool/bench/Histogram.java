package workbook.tool.bench;

/**
 * Latencies in nanoseconds, counted in log-linear buckets: exact below 64 ns, then 32 buckets per
 * power of two, so that a percentile is within about 3% of the true value whatever its size. Its
 * memory is fixed (about 8 KB), however many values it counts: a bench counts millions.
 */
final class Histogram {

    /** Buckets per power of two, past the first 64 exact ones: 2^5. */
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;

    private final int[] counts = new int[index(Long.MAX_VALUE) + 1];
    private long count;
    private long max;

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        count++;
        max = Math.max(max, value);
    }

    long count() {
        return count;
    }

    long max() {
        return max;
    }

    /**
     * The value below which {@code percent} of the values lie: the top of the bucket where that
     * value falls (never above the exact maximum); 0 for no values.
     */
    long percentile(double percent) {
        long rank = (long) Math.ceil(count * percent / 100);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && seen > 0) {
                return Math.min(max, top(i));
            }
        }
        return max;
    }

    /** Values below 2 * SUB count in buckets of one; above, v >>> shift keeps SUB_BITS + 1 bits. */
    static int index(long value) {
        if (value < 2 * SUB) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
        return 2 * SUB + (shift - 1) * SUB + (int) (value >>> shift) - SUB;
    }

    /** The highest value that falls in bucket {@code index}. */
    static long top(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = (index - 2 * SUB) / SUB + 1;
        long first = (long) (index - 2 * SUB - (shift - 1) * SUB + SUB) << shift;
        return first + (1L << shift) - 1;
    }
}
