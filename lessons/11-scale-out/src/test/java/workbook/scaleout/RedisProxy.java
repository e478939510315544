package workbook.scaleout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisURI;

/**
 * A TCP proxy between one instance and Redis, so that a test can take Redis away from that
 * instance at a moment of its choosing, and give it back: {@link #cut()} drops every connection
 * and closes each new one at once; {@link #restore()} lets them through again. It works the same
 * in front of the Redis started here and one of the learner's own.
 */
final class RedisProxy implements AutoCloseable {

    private final ServerSocket listening;
    private final RedisURI upstream;
    /** Both ends of every connection through the proxy, to drop them on a cut. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    RedisProxy(RedisURI upstream) {
        this.upstream = upstream;
        try {
            listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("The test's Redis proxy could not listen", e);
        }
        Thread accepting = new Thread(this::accept, "redis-proxy-" + listening.getLocalPort());
        accepting.setDaemon(true);
        accepting.start();
    }

    /** Where an instance connects to reach Redis through this proxy. */
    RedisURI uri() {
        return RedisURI.builder(upstream).withHost(listening.getInetAddress().getHostAddress())
                .withPort(listening.getLocalPort()).build();
    }

    /** Takes Redis away: every connection drops, and a new one is closed as soon as it opens. */
    void cut() {
        cut = true;
        open.forEach(RedisProxy::closeQuietly);
    }

    /** Gives Redis back: new connections go through again. */
    void restore() {
        cut = false;
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket redis = new Socket(upstream.getHost(), upstream.getPort());
                open.add(client);
                open.add(redis);
                pump(client, redis);
                pump(redis, client);
            } catch (IOException e) {
                // Closed, or Redis refused: the instance sees its connection drop and tries again.
            }
        }
    }

    /** Copies what {@code from} reads to {@code to} until either closes, then closes both. */
    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                }
            } catch (IOException e) {
                // Dropped: close both ends below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "redis-proxy-pump");
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
        cut();
        try {
            listening.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }
}
