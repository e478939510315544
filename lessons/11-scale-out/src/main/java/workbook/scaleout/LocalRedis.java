package workbook.scaleout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisURI;
import redis.embedded.RedisExecProvider;

import workbook.server.LessonServer;

/**
 * The Redis the lesson's instances share: the one named by {@value #URL_VARIABLE} if it is set
 * (e.g. {@code redis://localhost:6379}), else a Redis server started here, on a free port of the
 * loopback address, keeping nothing on disk, and stopped by {@link #close()}. Given: nothing to
 * edit.
 */
public final class LocalRedis implements AutoCloseable {

    /** The environment variable that names a Redis of one's own, e.g. {@code redis://localhost:6379}. */
    public static final String URL_VARIABLE = "WORKBOOK_REDIS_URL";

    /** How long a Redis started here may take to end once told to. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /** How long a Redis of one's own may take to accept a connection. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** The tests' Redis: one for the whole JVM, started when first asked for. */
    private static LocalRedis shared;

    /** The Redis this JVM started; null for one of the learner's own. */
    private final Process started;
    private final RedisURI uri;

    private LocalRedis(Process started, RedisURI uri) {
        this.started = started;
        this.uri = uri;
    }

    /**
     * The learner's Redis if {@value #URL_VARIABLE} names one, else a new Redis server on this
     * machine's loopback address.
     *
     * @throws IllegalStateException in one line, when this machine cannot run the Redis that
     *         embedded-redis carries (Windows, say)
     */
    public static LocalRedis start() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return new LocalRedis(null, answering(url.strip()));
        }
        int port = freePort();
        try {
            Path program = program();
            Process redis;
            try {
                redis = new ProcessBuilder(program.toString(),
                        "--bind", LessonServer.LOOPBACK, // this machine only
                        "--port", String.valueOf(port),
                        "--save", "", // no snapshots on disk
                        "--appendonly", "no") // and no log of writes: a Redis for one session
                        .redirectErrorStream(true).start();
            } finally {
                // A running program needs its file no more: nothing is left behind, however this JVM ends.
                delete(program);
            }
            // A Redis server is a process of its own: stop it when this JVM ends.
            Runtime.getRuntime().addShutdownHook(new Thread(redis::destroy));
            awaitReady(redis);
            return new LocalRedis(redis, RedisURI.create("redis://" + LessonServer.LOOPBACK + ":" + port));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Redis could not start on this machine (" + e.getMessage() + "): set "
                    + URL_VARIABLE + " to a Redis you run, e.g. " + URL_VARIABLE + "=redis://localhost:6379", e);
        }
    }

    /**
     * A copy of the Redis program that embedded-redis carries for this machine, in a new temporary
     * folder. (Its own RedisServer would also write a configuration file, and delete both only
     * when the JVM exits normally: the workbook stops a check's JVM that leaves code running, and
     * every check would leave 6 MB behind.)
     */
    private static Path program() throws IOException {
        return RedisExecProvider.defaultProvider().get().toPath();
    }

    /** Deletes the copy of the program, and its folder. */
    private static void delete(Path program) {
        try {
            Files.deleteIfExists(program);
            Files.deleteIfExists(program.getParent());
        } catch (IOException e) {
            // Left for the JVM's exit, as embedded-redis asked.
        }
    }

    /**
     * Reads Redis's log until it accepts connections, then closes it: Redis has little more to say,
     * and a write to the closed pipe fails, which Redis ignores. (A thread left reading it would
     * look, to the workbook, like the lesson's code still running after the check.)
     */
    private static void awaitReady(Process redis) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader log = new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = log.readLine(); line != null; line = log.readLine()) {
                if (line.contains("Ready to accept connections")) {
                    return;
                }
                lines.add(line);
            }
        }
        throw new IllegalStateException("Redis ended as it started: "
                + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
    }

    /**
     * The Redis that {@code url} names, once something answers at its address: a wrong address
     * says so here, in one line, rather than as a failure of the lesson's code.
     */
    private static RedisURI answering(String url) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(URL_VARIABLE + "=" + url + " is not a Redis address (" + e.getMessage()
                    + "): write it as redis://host:port, or unset " + URL_VARIABLE + " for a Redis started here", e);
        }
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) PROBE_TIMEOUT.toMillis());
        } catch (IOException e) {
            throw new IllegalStateException("Nothing answers at " + URL_VARIABLE + "=" + url + " (" + e.getMessage()
                    + "): start that Redis, or unset " + URL_VARIABLE + " for a Redis started here", e);
        }
        return uri;
    }

    /** The tests' Redis, shared by every test of this JVM. */
    public static synchronized LocalRedis shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for Redis: " + e.getMessage(), e);
        }
    }

    /** Where the instances connect, e.g. {@code redis://127.0.0.1:40123}. */
    public RedisURI uri() {
        return uri;
    }

    /** Whether this is a Redis started here rather than the learner's own. */
    public boolean startedHere() {
        return started != null;
    }

    /** Stops the Redis started here; one of the learner's own is left running. */
    @Override
    public void close() {
        if (started != null) {
            started.destroy();
            try {
                started.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
