package workbook.scaleout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisURI;

/**
 * A TCP proxy between one instance and Redis, so that a test can take Redis away from that
 * instance at a moment of its choosing, and give it back: {@link #cut()} drops every connection
 * and closes each new one at once; {@link #restore()} lets them through again. It can also hold
 * back what Redis sends on the instance's subscription, or on its other connection, until
 * {@link #release()}: one connection then lags behind the other; and hold back the commands the
 * instance sends on that other connection, so that Redis runs them only when the test says. It
 * works the same in front of the Redis started here and one of the learner's own.
 */
final class RedisProxy implements AutoCloseable {

    /** One connection through the proxy: the instance's end and Redis's. */
    private static final class Link {
        final Socket client;
        final Socket redis;
        /** Whether the instance has sent SUBSCRIBE on it: its subscription. */
        volatile boolean subscription;

        Link(Socket client, Socket redis) {
            this.client = client;
            this.redis = redis;
        }
    }

    /** The commands a test may wait for with {@link #awaitForwarded}. */
    private static final List<String> WATCHED = List.of("XRANGE");

    /** Null until {@link #uri()} is first asked for. Under this. */
    private ServerSocket listening;
    private final RedisURI upstream;
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    /** Whether what Redis sends on subscriptions, or on the other connections, waits in the proxy. Under this. */
    private boolean holdingSubscriptions;
    private boolean holdingCommands;
    /** Whether what the instance sends Redis on its command connection waits in the proxy. Under this. */
    private boolean holdingRequests;
    /** How many commands of each name the proxy has passed on to Redis, of those a test waits for. Under this. */
    private final Map<String, Integer> forwarded = new HashMap<>();
    /** How many commands of each name have reached the proxy, passed on or held, of those a test waits for. Under this. */
    private final Map<String, Integer> arrived = new HashMap<>();
    /** What the instance sent Redis on its command connection since {@link #recordCommands()}, or null. Under this. */
    private StringBuilder commands;

    RedisProxy(RedisURI upstream) {
        this.upstream = upstream;
    }

    /**
     * Where an instance connects to reach Redis through this proxy. The proxy listens from the
     * first call: JUnit makes the instance of a test it then skips, and that test must leave no
     * thread behind.
     */
    synchronized RedisURI uri() {
        if (listening == null) {
            try {
                listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException("The test's Redis proxy could not listen", e);
            }
            ServerSocket socket = listening;
            Thread accepting = new Thread(() -> accept(socket), "redis-proxy-" + socket.getLocalPort());
            accepting.setDaemon(true);
            accepting.start();
        }
        return RedisURI.builder(upstream).withHost(listening.getInetAddress().getHostAddress())
                .withPort(listening.getLocalPort()).build();
    }

    /** Takes Redis away: every connection drops, and a new one is closed as soon as it opens. */
    void cut() {
        cut = true;
        open.forEach(link -> {
            closeQuietly(link.client);
            closeQuietly(link.redis);
        });
    }

    /** Gives Redis back: new connections go through again. */
    void restore() {
        cut = false;
    }

    /** Holds back what Redis sends on the instance's subscription: published messages wait here. */
    synchronized void holdSubscription() {
        holdingSubscriptions = true;
    }

    /** Holds back what Redis sends on the instance's other connection: answers to its commands wait here. */
    synchronized void holdCommands() {
        holdingCommands = true;
    }

    /**
     * Holds back the commands the instance sends Redis on its command connection (not its
     * subscription): Redis runs none of them until {@link #release()}.
     */
    synchronized void holdRequests() {
        holdingRequests = true;
    }

    /** Lets what was held back through, in order: each way, on every connection. */
    synchronized void release() {
        holdingSubscriptions = false;
        holdingCommands = false;
        holdingRequests = false;
        notifyAll();
    }

    /**
     * Waits until the proxy has passed a command {@code name} (e.g. XRANGE) on to Redis, which
     * runs it as soon as it reads it, before anything that the test does next can reach Redis.
     *
     * @return false if none came within {@code wait}
     */
    synchronized boolean awaitForwarded(String name, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!forwarded.containsKey(name) && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        return forwarded.containsKey(name);
    }

    /**
     * Waits until {@code times} commands {@code name} (e.g. XRANGE) have reached the proxy on their
     * way to Redis, whether it passed them on or holds them ({@link #holdRequests()}).
     *
     * @return false if fewer came within {@code wait}
     */
    synchronized boolean awaitArrived(String name, int times, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (arrived.getOrDefault(name, 0) < times && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        return arrived.getOrDefault(name, 0) >= times;
    }

    /** From now on, keeps what the instance sends Redis on its command connection, for {@link #awaitCommandWith}. */
    synchronized void recordCommands() {
        commands = new StringBuilder();
    }

    /**
     * Waits until the proxy has passed on to Redis, on the instance's command connection, a
     * command that carries {@code text} (e.g. what a client said), since {@link #recordCommands()}.
     * The proxy passes commands on even while it holds back Redis's answers.
     *
     * @return false if none came within {@code wait}
     */
    synchronized boolean awaitCommandWith(String text, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!sentCommandWith(text) && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        return sentCommandWith(text);
    }

    /** Whether the instance has sent Redis a command that carries {@code text}, since {@link #recordCommands()}. */
    synchronized boolean sentCommandWith(String text) {
        return commands != null && commands.indexOf(text) >= 0;
    }

    /** Whether the instance has sent SUBSCRIBE on a connection through this proxy that is still open. */
    boolean subscribed() {
        return open.stream().anyMatch(link -> link.subscription);
    }

    private synchronized void noteForwarded(Link link, String chunk) {
        if (commands != null && !link.subscription) {
            commands.append(chunk);
            notifyAll();
        }
        for (String name : WATCHED) {
            if (chunk.contains(name)) {
                forwarded.merge(name, 1, Integer::sum);
                notifyAll();
            }
        }
    }

    private synchronized void noteArrived(String chunk) {
        for (String name : WATCHED) {
            int times = occurrences(chunk, name);
            if (times > 0) {
                arrived.merge(name, times, Integer::sum);
                notifyAll();
            }
        }
    }

    private static int occurrences(String text, String part) {
        int times = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            times++;
        }
        return times;
    }

    /** Waits while what comes from Redis on {@code link} is held back. */
    private synchronized void awaitRelease(Link link) throws InterruptedException {
        while (link.subscription ? holdingSubscriptions : holdingCommands) {
            wait();
        }
    }

    /** Waits while what the instance sends on {@code link} is held back: only on its command connection. */
    private synchronized void awaitRequestRelease(Link link) throws InterruptedException {
        while (!link.subscription && holdingRequests) {
            wait();
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Link link = new Link(client, new Socket(upstream.getHost(), upstream.getPort()));
                open.add(link);
                pumpRequests(link);
                pumpReplies(link);
            } catch (IOException e) {
                // Closed, or Redis refused: the instance sees its connection drop and tries again.
            }
        }
    }

    /** Copies what Redis sends to the instance until either end closes, then closes both. */
    private void pumpReplies(Link link) {
        daemon(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = link.redis.getInputStream();
                OutputStream out = link.client.getOutputStream();
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    awaitRelease(link);
                    out.write(buffer, 0, read);
                }
            } catch (IOException | InterruptedException e) {
                // Dropped: close both ends below.
            } finally {
                drop(link);
            }
        });
    }

    /**
     * Copies what the instance sends to Redis until either end closes, then closes both. It reads
     * on while it holds requests back, so that a test can count each command as it comes.
     */
    private void pumpRequests(Link link) {
        BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        byte[] end = new byte[0];
        daemon(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = link.client.getInputStream();
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    String chunk = new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                    if (chunk.contains("SUBSCRIBE")) {
                        link.subscription = true;
                    }
                    noteArrived(chunk);
                    chunks.add(Arrays.copyOf(buffer, read));
                }
            } catch (IOException e) {
                // Dropped: the other thread closes both ends.
            } finally {
                chunks.add(end);
            }
        });
        daemon(() -> {
            try {
                OutputStream out = link.redis.getOutputStream();
                for (byte[] chunk = chunks.take(); chunk != end; chunk = chunks.take()) {
                    awaitRequestRelease(link);
                    out.write(chunk);
                    noteForwarded(link, new String(chunk, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException | InterruptedException e) {
                // Dropped: close both ends below.
            } finally {
                drop(link);
            }
        });
    }

    private void drop(Link link) {
        closeQuietly(link.client);
        closeQuietly(link.redis);
        open.remove(link);
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "redis-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() {
        release();
        cut();
        synchronized (this) {
            if (listening != null) {
                try {
                    listening.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
        }
    }
}
