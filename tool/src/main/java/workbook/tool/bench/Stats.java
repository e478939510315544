package workbook.tool.bench;

import java.util.BitSet;

/**
 * What the counting clients received of the messages sent in the measured window: how many, how
 * late, and which were lost, duplicated or reordered. Messages sent before the window (the
 * warm-up) or after it (while its last ones arrive) are not counted. Used by the generator's one
 * thread only.
 *
 * <p>Its memory per client is fixed, whatever the rate and the duration, so that it does not
 * grow the heap that the bench reports as the server's: a client keeps the highest message number
 * it got and which of the {@value Seen#SPAN} before it it got.
 */
final class Stats {

    private static final long SECOND = 1_000_000_000L;

    /** The window, in nanoTime: a message counts if it was sent from {@code from} to before {@code to}. */
    final long from;
    final long to;
    private final BitSet published = new BitSet();
    private final Seen[] received;
    /** From the send to the client's read, in ns: every counted delivery, and those of the window's first and last second. */
    final Histogram latency = new Histogram();
    final Histogram firstSecond = new Histogram();
    final Histogram lastSecond = new Histogram();
    private long duplicated;
    private long reordered;

    Stats(int clients, long from, long to) {
        this.from = from;
        this.to = to;
        received = new Seen[clients];
        for (int i = 0; i < clients; i++) {
            received[i] = new Seen();
        }
    }

    /** A message the bench has sent. */
    void published(Stamp stamp) {
        if (counts(stamp)) {
            published.set((int) stamp.seq());
        }
    }

    /** A message that client number {@code client} read at {@code now}. */
    void received(int client, Stamp stamp, long now) {
        if (!counts(stamp)) {
            return;
        }
        // What a client got was published, whoever published it: the server, for a lesson whose timer pushes.
        published.set((int) stamp.seq());
        switch (received[client].add(stamp.seq())) {
            case DUPLICATE -> {
                duplicated++;
                return;
            }
            case LATE -> reordered++;
            case IN_ORDER -> { }
        }
        long nanos = now - stamp.sentNanos();
        latency.record(nanos);
        if (stamp.sentNanos() < from + SECOND) {
            firstSecond.record(nanos);
        }
        if (stamp.sentNanos() >= to - SECOND) {
            lastSecond.record(nanos);
        }
    }

    private boolean counts(Stamp stamp) {
        return stamp.sentNanos() >= from && stamp.sentNanos() < to;
    }

    long published() {
        return published.cardinality();
    }

    /** Each message once to each client: duplicates are not deliveries. */
    long deliveries() {
        return latency.count();
    }

    /** What a client never got, of what was published, summed over the clients. */
    long lost() {
        return published() * received.length - deliveries();
    }

    long duplicated() {
        return duplicated;
    }

    /** Messages that arrived after one sent later. */
    long reordered() {
        return reordered;
    }

    double seconds() {
        return (to - from) / 1e9;
    }

    enum Arrival { IN_ORDER, LATE, DUPLICATE }

    /**
     * The message numbers one client got: the highest, and a bit for each of the {@link #SPAN}
     * numbers up to it. A message older than that is taken as late, not as a duplicate: a server
     * that sends one again that much later is not one this bench expects to meet.
     */
    static final class Seen {

        static final int SPAN = 1024;

        private final long[] bits = new long[SPAN / 64];
        private long highest = -1;

        Arrival add(long seq) {
            if (seq > highest) {
                for (long skipped = Math.max(highest + 1, seq - SPAN + 1); skipped < seq; skipped++) {
                    bits[slot(skipped)] &= ~bit(skipped);
                }
                highest = seq;
            } else if (seq <= highest - SPAN) {
                return Arrival.LATE;
            } else if ((bits[slot(seq)] & bit(seq)) != 0) {
                return Arrival.DUPLICATE;
            }
            bits[slot(seq)] |= bit(seq);
            return seq == highest ? Arrival.IN_ORDER : Arrival.LATE;
        }

        private static int slot(long seq) {
            return (int) (seq % SPAN) / 64;
        }

        private static long bit(long seq) {
            return 1L << (seq % 64);
        }
    }
}
