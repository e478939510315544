package workbook.scaleout;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Measures, by hand, how long a message takes from a client of instance A to a client of instance
 * B, through Redis, and how many a second cross: not a test (nothing here can fail), a program to
 * run with the lesson's test class path. Arguments: messages a second (default 1000) and seconds
 * (default 10, after 2 s of warm-up at the same rate); then a burst as fast as the sender can.
 */
public final class CrossInstanceSpeed {

    /** How many messages of the burst may be on their way at once. */
    static final int IN_FLIGHT = 500;

    /** Records the time each message arrives, by the number in its text. */
    @WebSocket
    public static final class Receiver {
        final long[] arrived;
        final CountDownLatch all;

        Receiver(int count) {
            arrived = new long[count];
            all = new CountDownLatch(count);
        }

        @OnWebSocketMessage
        public void onText(String message) {
            int start = message.indexOf("\"text\":\"") + 8;
            int number = Integer.parseInt(message.substring(start, message.indexOf('"', start)));
            if (number < arrived.length) { // the sender's own client gets its messages back too
                arrived[number] = System.nanoTime();
                all.countDown();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (LocalRedis redis = LocalRedis.start()) {
            ScaleOutServer a = new ScaleOutServer(redis.uri());
            ScaleOutServer b = new ScaleOutServer(redis.uri());
            URI onA = a.start(0);
            URI onB = b.start(0);
            WebSocketClient jetty = new WebSocketClient();
            jetty.start();
            try {
                run(jetty, onA, onB, rate, 2, false);
                run(jetty, onA, onB, rate, seconds, true);
                burst(jetty, onA, onB, rate * seconds);
            } finally {
                jetty.stop();
                a.stop();
                b.stop();
            }
        }
    }

    /** Sends rate × seconds messages from a client of A at a steady rate; a client of B receives. */
    static void run(WebSocketClient jetty, URI onA, URI onB, int rate, int seconds, boolean report) throws Exception {
        int count = rate * seconds;
        Receiver receiver = new Receiver(count);
        Session to = jetty.connect(receiver, onB).get(10, TimeUnit.SECONDS);
        Session from = jetty.connect(new Receiver(0), onA).get(10, TimeUnit.SECONDS);
        long[] sent = new long[count];
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.max(1, due - System.nanoTime() - 50_000));
            }
            sent[i] = System.nanoTime();
            from.sendText(Integer.toString(i), Callback.NOOP);
        }
        boolean done = receiver.all.await(30, TimeUnit.SECONDS);
        long end = System.nanoTime();
        from.close();
        to.close();
        if (report) {
            long[] latency = new long[count];
            for (int i = 0; i < count; i++) {
                latency[i] = receiver.arrived[i] - sent[i];
            }
            Arrays.sort(latency);
            System.out.printf("steady, %d/s for %d s: %s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f messages/s%n",
                    rate, seconds, done ? "all arrived" : (count - receiver.all.getCount()) + " of " + count + " arrived",
                    latency[count / 2] / 1e6, latency[count * 99 / 100] / 1e6, latency[count - 1] / 1e6,
                    count / ((end - start) / 1e9));
        }
    }

    /**
     * Sends count messages as fast as they cross, at most {@link #IN_FLIGHT} on their way at once
     * (more would overflow the server's bounded queue of Redis commands, whose sends then fail);
     * tells how many a second reach B's client.
     */
    static void burst(WebSocketClient jetty, URI onA, URI onB, int count) throws Exception {
        Receiver receiver = new Receiver(count);
        Session to = jetty.connect(receiver, onB).get(10, TimeUnit.SECONDS);
        Session from = jetty.connect(new Receiver(0), onA).get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            while (i - (count - receiver.all.getCount()) >= IN_FLIGHT) {
                Thread.onSpinWait();
            }
            from.sendText(Integer.toString(i), Callback.NOOP);
        }
        boolean done = receiver.all.await(60, TimeUnit.SECONDS);
        long end = System.nanoTime();
        from.close();
        to.close();
        System.out.printf("burst of %d: %s in %.2f s, %.0f messages/s%n", count,
                done ? "all arrived" : (count - receiver.all.getCount()) + " arrived", (end - start) / 1e9, count / ((end - start) / 1e9));
    }
}
