package workbook.tool.dev;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import workbook.server.LessonServer;
import workbook.tool.LessonRunner;
import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Workbook;
import workbook.tool.bench.Bench;
import workbook.tool.bench.External;
import workbook.tool.bench.External.Numbers;

/**
 * {@code ./workbook dev bench-node}: lesson 02's reference broadcast beside a minimal Node.js relay
 * ({@code bench/node-relay/relay.js}, the {@code ws} package with its defaults), under the same load
 * from the bench's own generator ({@link External}). Each server runs in a process of its own,
 * started here on a free loopback port: the reference in a JVM with the tool's class path, as
 * {@code ./workbook serve 2 --solution} runs it. Both are warmed up once, then measured in turn, the
 * order swapped every run. CPU is each process's utime + stime from {@code /proc/<pid>/stat}, GC and
 * JIT included on both sides.
 *
 * <p>The first round of load is longer than {@code ./workbook bench}'s (10 s, {@code --warm-up}):
 * a fresh JVM's C2 compiler still took some 12% of the reference's CPU after 2 s of it, and a
 * server that relays for real runs warm.
 */
final class NodeBench {

    static final String RELAY = "bench/node-relay";
    static final String LOG = ".workbook/bench-node.log";
    private static final String LESSON = "02-broadcast";
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private record Server(String label, Process process, URI uri) {
    }

    private NodeBench() {
    }

    static int run(Workbook workbook, PrintStream out, List<String> args) throws IOException, InterruptedException {
        int clients = 200;
        int rate = 250;
        int seconds = 5;
        int runs = 3;
        int warmUp = 10;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--clients" -> clients = Bench.Options.number(args, ++i, "--clients", 1, 5000);
                case "--rate" -> rate = Bench.Options.number(args, ++i, "--rate", 1, External.MAX_RATE);
                case "--seconds" -> seconds = Bench.Options.number(args, ++i, "--seconds", 1, 120);
                case "--runs" -> runs = Bench.Options.number(args, ++i, "--runs", 1, 50);
                case "--warm-up" -> warmUp = Bench.Options.number(args, ++i, "--warm-up", 1, 120);
                default -> throw new IllegalArgumentException("Unknown option for bench-node: " + args.get(i) + ".");
            }
        }
        Path relay = workbook.root().resolve(RELAY);
        String node = version("node", "--version");
        Path ws = relay.resolve("node_modules/ws/package.json");
        if (node == null || !Files.isRegularFile(ws)) {
            out.println((node == null ? "No node on the PATH: install Node.js (18 or later), then " : "The Node relay's ws is not installed: ")
                    + "cd " + RELAY + " && npm ci");
            return 1;
        }
        Matcher wsVersion = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(ws));
        Lesson lesson = workbook.manifest().lessons().stream().filter(l -> l.id().equals(LESSON)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No lesson " + LESSON + " in the manifest."));
        Path classes = Files.createTempDirectory("workbook-bench-node-");
        Path log = workbook.root().resolve(LOG);
        Files.createDirectories(log.getParent());
        List<Server> servers = new ArrayList<>();
        try {
            List<String> errors = new LessonRunner(workbook).compileMain(lesson, Code.REFERENCE, classes);
            if (!errors.isEmpty()) {
                out.println("Lesson 02's reference does not compile:\n  " + String.join("\n  ", errors));
                return 1;
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            servers.add(start("Node ws " + (wsVersion.find() ? wsVersion.group(1) : "?"), relay, log, "node", "relay.js"));
            servers.add(start("reference", workbook.root(), log, java, "-cp",
                    classes + File.pathSeparator + System.getProperty("java.class.path"), lesson.server()));
            for (Server server : servers) {
                if (server.uri() == null) {
                    out.println("The " + server.label() + " server did not listen within " + START_LIMIT.toSeconds()
                            + " s: see " + LOG);
                    return 1;
                }
            }
            out.println("Lesson 02's reference beside a Node.js ws relay (" + RELAY + "/relay.js, node " + node + ").");
            out.println(clients + " clients and a publisher; " + rate + " messages a second; on loopback; each server in a"
                    + " process of its own. Each run: " + External.WARM_UP.toSeconds() + " s of warm-up, then " + seconds
                    + " s measured; " + runs + " runs each, in turn; before them, " + warmUp
                    + " s of load on each warm it up.");
            int firstRate = Math.min(External.MAX_RATE, Math.max(rate, External.FIRST_ROUND_DELIVERIES_A_SECOND / clients));
            for (Server server : servers) {
                External.relay(server.uri(), server.process().pid(), clients, firstRate, Duration.ZERO, Duration.ofSeconds(warmUp));
            }
            List<List<Numbers>> measured = List.of(new ArrayList<>(), new ArrayList<>());
            for (int run = 0; run < runs; run++) {
                for (int turn = 0; turn < 2; turn++) {
                    int which = (run + turn) % 2;
                    Server server = servers.get(which);
                    Numbers numbers = External.relay(server.uri(), server.process().pid(), clients, rate, External.WARM_UP,
                            Duration.ofSeconds(seconds));
                    measured.get(which).add(numbers);
                    out.printf(Locale.ROOT, "  run %d, %-16s %,9.0f deliveries/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %.1f µs CPU"
                            + " per delivery, lost/dup/reord %d/%d/%d, generator %.0f%% of a core%n", run + 1, server.label() + ":",
                            numbers.deliveriesASecond(), numbers.p50(), numbers.p99(), numbers.max(), numbers.cpuPerDelivery(),
                            numbers.lost(), numbers.duplicated(), numbers.reordered(), 100 * numbers.generatorLoad());
                }
            }
            report(out, servers, measured);
            return 0;
        } catch (IOException e) {
            out.println(e.getMessage());
            return 1;
        } finally {
            for (Server server : servers) {
                server.process().destroy();
                if (!server.process().waitFor(5, TimeUnit.SECONDS)) {
                    server.process().destroyForcibly();
                }
            }
            Workbook.deleteTree(classes);
        }
    }

    private static void report(PrintStream out, List<Server> servers, List<List<Numbers>> measured) {
        out.println();
        out.println("Median of the runs (lowest to highest):");
        out.printf("  %-26s %30s %30s%n", "", servers.get(0).label(), servers.get(1).label());
        row(out, measured, "deliveries a second", Numbers::deliveriesASecond, "%,.0f");
        row(out, measured, "latency p50, ms", Numbers::p50, "%.2f");
        row(out, measured, "latency p99, ms", Numbers::p99, "%.2f");
        row(out, measured, "latency max, ms", Numbers::max, "%.1f");
        row(out, measured, "server CPU per delivery, µs", Numbers::cpuPerDelivery, "%.2f");
        row(out, measured, "lost", n -> n.lost(), "%.0f");
        row(out, measured, "duplicated", n -> n.duplicated(), "%.0f");
        row(out, measured, "reordered", n -> n.reordered(), "%.0f");
        row(out, measured, "generator, % of a core", n -> 100 * n.generatorLoad(), "%.0f");
        double cpu = median(measured.get(1), Numbers::cpuPerDelivery) / median(measured.get(0), Numbers::cpuPerDelivery);
        double p99 = median(measured.get(1), Numbers::p99) / median(measured.get(0), Numbers::p99);
        out.printf(Locale.ROOT, "The reference against Node, medians: CPU per delivery %.2fx, p99 %.2fx.%n", cpu, p99);
        out.println("CPU is each process's utime + stime, from /proc/<pid>/stat (GC and JIT included, in 10 ms ticks);"
                + " latency runs from the publisher's send to a client's read. The servers' output: " + LOG);
    }

    private static void row(PrintStream out, List<List<Numbers>> measured, String name, ToDoubleFunction<Numbers> value,
                            String format) {
        String[] cells = new String[2];
        for (int i = 0; i < 2; i++) {
            double[] values = measured.get(i).stream().mapToDouble(value).sorted().toArray();
            cells[i] = String.format(Locale.ROOT, format, median(values)) + (values.length < 2 ? ""
                    : String.format(Locale.ROOT, " (" + format + " to " + format + ")", values[0], values[values.length - 1]));
        }
        out.printf("  %-26s %30s %30s%n", name, cells[0], cells[1]);
    }

    private static double median(List<Numbers> runs, ToDoubleFunction<Numbers> value) {
        return median(runs.stream().mapToDouble(value).sorted().toArray());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Starts a server on a free loopback port and waits until it accepts connections; its uri is null if it never did. */
    private static Server start(String label, Path directory, Path log, String... command) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(LessonServer.LOOPBACK))) {
            port = probe.getLocalPort();
        }
        List<String> line = new ArrayList<>(Arrays.asList(command));
        line.add(Integer.toString(port));
        Process process = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LessonServer.LOOPBACK, port), 200);
                return new Server(label, process, URI.create("ws://" + LessonServer.LOOPBACK + ":" + port + "/"));
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return new Server(label, process, null);
    }

    /** The first line a command prints, or null if it cannot run. */
    private static String version(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String first = new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            return process.waitFor() == 0 ? first : null;
        } catch (IOException e) {
            return null;
        }
    }
}
