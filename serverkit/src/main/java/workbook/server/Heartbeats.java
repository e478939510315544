package workbook.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Session;

/**
 * What lesson 08 builds, given to the lessons after it: every {@code every}, each connection gets a
 * ping; one that has not answered the last ping with a pong is gone, or too far behind to matter,
 * and is disconnected. The endpoint tells it of each connection's open, pong and close.
 */
public final class Heartbeats {

    /** One connection's heartbeat: its timer, and whether its last ping was answered. */
    private static final class Heart {
        volatile ScheduledFuture<?> timer;
        volatile boolean answered = true;
    }

    private final ScheduledExecutorService scheduler;
    private final Duration every;
    /** Every connection with a heartbeat. Jetty's threads add and remove while the timers run. */
    private final Map<Session, Heart> hearts = new ConcurrentHashMap<>();
    private final AtomicInteger pongs = new AtomicInteger();

    /** Heartbeats on {@code scheduler}, the server's one scheduler, a ping every {@code every}. */
    public Heartbeats(ScheduledExecutorService scheduler, Duration every) {
        this.scheduler = scheduler;
        this.every = every;
    }

    /** A connection has opened: its heartbeat starts. */
    public void start(Session session) {
        Heart heart = new Heart();
        hearts.put(session, heart);
        long nanos = every.toNanos();
        heart.timer = scheduler.scheduleWithFixedDelay(() -> beat(session, heart), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void beat(Session session, Heart heart) {
        if (!heart.answered) {
            // A close frame would wait behind what is queued, for an answer that never comes.
            session.disconnect();
            return;
        }
        heart.answered = false;
        session.sendPing(ByteBuffer.allocate(0), Sends.LOG_FAILURE);
    }

    /** A pong has arrived on {@code session}: it is alive. */
    public void ponged(Session session) {
        Heart heart = hearts.get(session);
        if (heart != null) {
            heart.answered = true;
            pongs.incrementAndGet();
        }
    }

    /** A connection has ended, whichever way: its heartbeat ends with it. */
    public void stop(Session session) {
        Heart heart = hearts.remove(session);
        if (heart != null && heart.timer != null) {
            heart.timer.cancel(false);
        }
    }

    /** How many connections have a heartbeat now. */
    public int count() {
        return hearts.size();
    }

    /** How many pongs have arrived since the server started, from any connection. */
    public int pongs() {
        return pongs.get();
    }
}
