package workbook.tool.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The bench's load generator against a server in another process, which the caller started: the
 * maintainers' comparison of lesson 02's reference with other relays ({@code ./workbook dev
 * bench-node}). The same clients, stamps and accounting as {@code ./workbook bench 2}; the server's
 * CPU is its whole process's, from {@code /proc/<pid>/stat} ({@link Usage#processCpuNanos}).
 */
public final class External {

    /** One run's numbers; latencies in ms, CPU in µs per delivery. */
    public record Numbers(long published, double deliveriesASecond, double p50, double p99, double max, double cpuPerDelivery,
                          long lost, long duplicated, long reordered, double generatorLoad, int dropped) {
    }

    /** As {@code ./workbook bench} has them: a warm-up before each window, a first round of load at this many deliveries a second, the highest rate. */
    public static final Duration WARM_UP = Bench.WARM_UP;
    public static final int FIRST_ROUND_DELIVERIES_A_SECOND = Bench.FIRST_ROUND_DELIVERIES_A_SECOND;
    public static final int MAX_RATE = Bench.MAX_RATE;

    private External() {
    }

    /**
     * Loads the relay at {@code uri} (every text a client sends goes to every client, as lesson 02's) with
     * {@code clients} counting clients and a publisher sending {@code rate} messages a second: {@code warmUp}
     * not measured, then {@code window} measured.
     *
     * @param pid the server's process, whose CPU time is measured
     * @throws IOException with the one line that says why the run ended early
     */
    public static Numbers relay(URI uri, long pid, int clients, int rate, Duration warmUp, Duration window)
            throws IOException, InterruptedException {
        Publishing relay = new Publishing.Relay(null, "");
        LoadGenerator generator = new LoadGenerator(uri, relay, clients, 0, rate, warmUp, window,
                () -> Usage.processCpuNanos(pid));
        Thread thread = new Thread(generator, "bench-load-generator");
        thread.setDaemon(true);
        thread.start();
        thread.join(LoadGenerator.limit(warmUp, window).toMillis());
        if (thread.isAlive()) {
            throw new IOException("The run did not end within " + LoadGenerator.limit(warmUp, window).toSeconds() + " s, its limit.");
        }
        LoadGenerator.Result run;
        try {
            run = generator.result();
        } catch (Bench.Failure e) {
            throw new IOException(e.getMessage());
        }
        Stats stats = run.stats();
        return new Numbers(stats.published(), stats.deliveries() / stats.seconds(), millis(stats.latency, 50),
                millis(stats.latency, 99), millis(stats.latency, 100),
                run.cpuDeliveries() == 0 ? Double.NaN : run.serverCpuNanos() / 1e3 / run.cpuDeliveries(),
                stats.lost(), stats.duplicated(), stats.reordered(), run.generatorLoad(), run.dropped());
    }

    private static double millis(Histogram latencies, double percentile) {
        return latencies.count() == 0 ? Double.NaN : latencies.percentile(percentile) / 1e6;
    }
}
