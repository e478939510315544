package workbook.tool.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

import workbook.tool.Manifest.Lesson;

/**
 * {@code ./workbook bench N}: the learner measures their own broadcast server, beside the
 * reference, under the same load in the same run: one server, then the other, each started in this
 * JVM from its compiled classes, loaded by {@link LoadGenerator}'s clients on loopback, then
 * stopped. Every step is bounded in time, and whatever ends the bench early is one line.
 */
public final class Bench {

    /** How long a server's start() or stop() may take before the bench gives up on it. */
    static final Duration SERVER_LIMIT = Duration.ofSeconds(10);
    /**
     * A first round of load, not measured, on the reference: the JIT compiles the code that the servers share
     * (Jetty's) and the generator's. Without it the server measured first pays for that: measured first, the
     * reference itself came out 10 to 20% worse. It takes some 100,000 deliveries, hence its own rate.
     */
    static final Duration FIRST_ROUND = Duration.ofSeconds(2);
    static final int FIRST_ROUND_DELIVERIES_A_SECOND = 50_000;
    /** Publishing, not measured, before each window: the server's own code gets compiled. */
    static final Duration WARM_UP = Duration.ofSeconds(1);
    /**
     * The kernel's send buffer of each of the server's connections, as the lessons' tests have it. On loopback
     * it grows to megabytes, which a client that never reads would take minutes to fill at the bench's rates; a
     * real network's buffers fill too, only later. Clients that read keep it empty either way.
     */
    static final int SEND_BUFFER = 8 * 1024;
    /** The generator's share of a core past which it, rather than the server, may have set the pace. */
    static final double GENERATOR_BOUND = 0.9;

    static final int MAX_RATE = 5000;

    /** What ends a bench early, in one line. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** The command's options; {@link #parse} says what is wrong with them in one line. */
    public record Options(boolean solution, int clients, int rate, int seconds, int stalled) {

        public static Options parse(List<String> args) {
            boolean solution = false;
            int clients = 100;
            int rate = 100;
            int seconds = 5;
            int stalled = 0;
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--solution" -> solution = true;
                    case "--clients" -> clients = number(args, ++i, "--clients", 1, 5000);
                    case "--rate" -> rate = number(args, ++i, "--rate", 1, MAX_RATE);
                    case "--seconds" -> seconds = number(args, ++i, "--seconds", 1, 120);
                    case "--stalled" -> stalled = number(args, ++i, "--stalled", 0, 1000);
                    default -> throw new IllegalArgumentException("Unknown option for bench: " + args.get(i) + ".");
                }
            }
            return new Options(solution, clients, rate, seconds, stalled);
        }

        /** The whole number after an option, from {@code min} to {@code max}; else what is wrong, in one line. */
        public static int number(List<String> args, int at, String option, int min, int max) {
            try {
                int value = Integer.parseInt(args.get(at));
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                // Answered below, as for a number out of range.
            }
            throw new IllegalArgumentException(option + " takes a whole number, " + min + " to " + max + ".");
        }
    }

    /** One server's numbers: what the generator measured, how much the heap grew, and how it was loaded. */
    private record Column(String label, LoadGenerator.Result run, long heapGrowth, String how) {

        Stats stats() {
            return run.stats();
        }
    }

    /** Where the servers' own log goes while they are measured, relative to the workbook's root. */
    static final String LOG = ".workbook/bench.log";

    private final PrintStream out;
    /** Whether to draw the progress line: only on a terminal, where {@code \r} goes back. */
    private final boolean terminal;
    private final Path root;

    /** @param root the workbook's root, where {@link #LOG} is */
    public Bench(PrintStream out, boolean terminal, Path root) {
        this.out = out;
        this.terminal = terminal;
        this.root = root;
    }

    /** Whether the bench knows how to make the lesson's server publish. */
    public static boolean measures(Lesson lesson) {
        return Publishing.LESSONS.containsKey(lesson.id());
    }

    /**
     * Measures the server compiled into {@code yours}, then the reference compiled into
     * {@code reference}, and prints their numbers side by side.
     *
     * @return 0 when both were measured, 1 when the bench ended early
     */
    public int run(Lesson lesson, Options options, Path yours, Path reference) throws IOException, InterruptedException {
        out.println(lesson.name() + ", " + (options.solution() ? "the reference" : "yours")
                + " beside the reference.");
        out.println(options.clients() + " clients and a publisher"
                + (options.stalled() == 0 ? "" : options.stalled() == 1 ? ", and a stalled client that never reads"
                        : ", and " + options.stalled() + " stalled clients that never read")
                + "; " + options.rate() + " messages a second; on loopback. Each server: " + WARM_UP.toSeconds()
                + " s of warm-up, then " + options.seconds() + " s measured; before them, " + FIRST_ROUND.toSeconds()
                + " s on the reference warm the JVM up.");
        // The compiler's leftovers go now, some only once a cleaner has run after a first collection: not later, when
        // they would count as the server's memory.
        Usage.heapAfterGc();
        Path log = root.resolve(LOG);
        Files.createDirectories(log.getParent());
        PrintStream err = System.err;
        try (PrintStream logged = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            // What the servers log (Jetty's warnings, an exception in the lesson's code) would cut through the
            // report: it goes to a file, which the report names.
            System.setErr(logged);
            int firstRate = Math.min(MAX_RATE, Math.max(options.rate(), FIRST_ROUND_DELIVERIES_A_SECOND / options.clients()));
            measure(lesson, options, "The reference server", "warming the JVM up", reference, firstRate, Duration.ZERO,
                    FIRST_ROUND);
            Duration window = Duration.ofSeconds(options.seconds());
            Column mine = measure(lesson, options, options.solution() ? "The reference server" : "Your server",
                    options.solution() ? "reference" : "yours", yours, options.rate(), WARM_UP, window);
            Column theirs = measure(lesson, options, "The reference server", options.solution() ? "reference again" : "reference",
                    reference, options.rate(), WARM_UP, window);
            report(lesson, options, mine, theirs);
            return 0;
        } catch (Failure e) {
            out.println(e.getMessage());
            return 1;
        } finally {
            System.setErr(err);
            try (Stream<String> lines = Files.lines(log)) {
                long count = lines.count();
                if (count > 0) {
                    out.println("The servers logged " + count + " lines while measured: " + LOG);
                }
            }
        }
    }

    private Column measure(Lesson lesson, Options options, String whose, String label, Path classes, int rate, Duration warmUp,
                           Duration window) throws IOException, InterruptedException, Failure {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Bench.class.getClassLoader());
             Publishing publishing = publishing(lesson, rate, whose, loader)) {
            publishing.server.useTestNetwork(null, SEND_BUFFER);
            URI uri = within(whose + "'s start()", () -> publishing.server.start(0));
            LoadGenerator generator = new LoadGenerator(uri, publishing, options.clients(), options.stalled(), rate, warmUp, window);
            try {
                Thread thread = new Thread(generator, "bench-load-generator");
                thread.setDaemon(true);
                thread.start();
                Duration limit = LoadGenerator.limit(warmUp, window);
                long deadline = System.nanoTime() + limit.toNanos();
                while (thread.isAlive() && System.nanoTime() < deadline) {
                    thread.join(200);
                    progress(label + ": " + generator.status());
                }
                progress("");
                if (thread.isAlive()) {
                    throw new Failure("The bench of " + whose.toLowerCase(Locale.ROOT) + " did not end within "
                            + limit.toSeconds() + " s, its limit: it ends here.");
                }
            } finally {
                within(whose + "'s stop()", () -> {
                    publishing.server.stop();
                    return null;
                });
            }
            // The server's memory: what the heap held with the server loaded, less what it holds now that the
            // server has stopped. The generator, still reachable, holds its own state in both.
            long stopped = Usage.heapAfterGc();
            LoadGenerator.Result run = generator.result();
            return new Column(label, run, run.heapAfterGc() - stopped, publishing.how());
        }
    }

    private static Publishing publishing(Lesson lesson, int rate, String whose, ClassLoader loader) throws Failure {
        try {
            return Publishing.LESSONS.get(lesson.id()).make(loader, lesson.server(), rate);
        } catch (InvocationTargetException e) {
            throw new Failure(whose + " could not be made: its constructor threw " + e.getCause() + ".");
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new Failure(whose + " could not be made: " + e + ".");
        }
    }

    /** Runs a call into the server's code on a thread of its own, so that one that never returns cannot hang the bench. */
    private static <T> T within(String what, Callable<T> call) throws Failure, InterruptedException {
        FutureTask<T> task = new FutureTask<>(call);
        Thread thread = new Thread(task, "bench-server-call");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(SERVER_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new Failure(what + " did not return within " + SERVER_LIMIT.toSeconds() + " s: the bench ends here.");
        } catch (ExecutionException e) {
            throw new Failure(what + " threw " + e.getCause() + ".");
        }
    }

    /** Rewrites the progress line in place; an empty text clears it. Nothing unless on a terminal. */
    private void progress(String text) {
        if (terminal) {
            out.print("\r" + String.format("%-78s", text) + (text.isEmpty() ? "\r" : ""));
            out.flush();
        }
    }

    private void report(Lesson lesson, Options options, Column mine, Column theirs) {
        out.println();
        row("", mine, theirs, Column::label);
        row("published", mine, theirs, c -> count(c.stats().published()));
        row("deliveries a second", mine, theirs, c -> count(Math.round(c.stats().deliveries() / c.stats().seconds())));
        row("latency p50", mine, theirs, c -> millis(c.stats().latency, 50));
        row("latency p99", mine, theirs, c -> millis(c.stats().latency, 99));
        row("latency max", mine, theirs, c -> millis(c.stats().latency, 100));
        row("p99 of the first second", mine, theirs, c -> millis(c.stats().firstSecond, 99));
        row("p99 of the last second", mine, theirs, c -> millis(c.stats().lastSecond, 99));
        row("lost / duplicated / reordered", mine, theirs,
                c -> count(c.stats().lost()) + " / " + count(c.stats().duplicated()) + " / " + count(c.stats().reordered()));
        row("server CPU per delivery", mine, theirs, c -> micros(c.run().serverCpuNanos(), c.run().cpuDeliveries()));
        row("server heap, after GC", mine, theirs, c -> String.format(Locale.ROOT, "%+.1f MB", c.heapGrowth() / 1e6));
        row("generator CPU per delivery", mine, theirs, c -> micros(c.run().generatorCpuNanos(), c.run().cpuDeliveries()));
        row("generator load, of one core", mine, theirs, c -> Math.round(100 * c.run().generatorLoad()) + "%");
        out.println();
        out.println("How: " + mine.how());
        for (Column column : List.of(mine, theirs)) {
            if (column.run().dropped() > 0) {
                out.println(column.run().dropped() + " connections failed, or the server closed them, during the run ("
                        + column.label() + ").");
            }
            if (column.run().generatorLoad() >= GENERATOR_BOUND) {
                out.println("The load generator used " + Math.round(100 * column.run().generatorLoad()) + "% of a core ("
                        + column.label() + "): it, not the server, may have set the pace. Fewer clients or a lower rate measure the server.");
            }
        }
        if (options.solution()) {
            out.println("Both columns are the reference: how far they differ is the noise of this machine, and of going first.");
        } else if (mine.stats().deliveries() == 0 && theirs.stats().deliveries() > 0) {
            out.println("Your server delivered nothing: does lesson " + lesson.number() + " pass? ./workbook check " + lesson.number());
        }
        if (options.stalled() > 0) {
            out.println("The stalled clients are not counted. Compare p99 and the heap with a run without --stalled: a p99 that"
                    + " climbs from the first second to the last, or a heap that grows with --seconds, is the server held up by them.");
        }
        out.println("Latency runs from the send to the client's read; CPU is the server's threads' (GC and JIT aside). More in the"
                + " README, \"Measure your broadcast server\".");
    }

    private void row(String name, Column mine, Column theirs, Function<Column, String> value) {
        out.printf("  %-30s %16s %16s%n", name, value.apply(mine), value.apply(theirs));
    }

    private static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** A percentile of the latencies, 100 for the max; "-" if there are none. */
    private static String millis(Histogram latencies, double percentile) {
        if (latencies.count() == 0) {
            return "-";
        }
        double millis = latencies.percentile(percentile) / 1e6;
        return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : millis < 100 ? "%.1f ms" : "%.0f ms", millis);
    }

    private static String micros(long nanos, long deliveries) {
        return deliveries == 0 ? "-" : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3 / deliveries);
    }
}
