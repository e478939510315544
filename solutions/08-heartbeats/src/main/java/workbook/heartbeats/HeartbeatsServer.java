package workbook.heartbeats;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;
import workbook.server.Scheduler;
import workbook.server.Sends;

/**
 * Lesson 08: a connection's life. The server pushes what {@link #push} is given; it pings every
 * client every {@code pingEvery} and drops one that stops answering, measures each round trip,
 * closes with a code that means something, and shuts down for a restart without losing what it
 * had queued.
 */
public final class HeartbeatsServer extends LessonServer {

    /** A close reason, with its code, must fit a control frame's 125 bytes (RFC 6455, 5.5.1). */
    static final int MAX_REASON_BYTES = 123;

    /** One connection's heartbeat: its timer, its last ping's send time, whether it was answered, its last round trip. */
    private static final class Heart {
        volatile ScheduledFuture<?> timer;
        volatile long pingSent;
        volatile boolean answered = true;
        volatile Duration roundTrip;
        final AtomicInteger pongs = new AtomicInteger();
    }

    private final Duration pingEvery;
    private final Duration idleTimeout;
    /** Every open connection and its heartbeat. Jetty's threads add and remove while the timers walk it. */
    private final Map<Session, Heart> hearts = new ConcurrentHashMap<>();
    /** One thread for every heartbeat of the server, as in lesson 03. */
    private final Scheduler scheduler = new Scheduler("heartbeats");
    /** Set once a shutdown has begun: no new connection from then on. */
    private volatile boolean closing;
    /** Completes when the last connection has gone, once a shutdown has begun. */
    private final CompletableFuture<Void> allGone = new CompletableFuture<>();

    public HeartbeatsServer(Duration pingEvery, Duration idleTimeout) {
        this.pingEvery = pingEvery;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        // tag::idle[]
        // Silent for this long, a connection is closed by Jetty with 1001: a backstop behind the heartbeat.
        endpoints.setIdleTimeout(idleTimeout);
        // end::idle[]
        // tag::refuse[]
        endpoints.addMapping("/", (request, response, callback) -> {
            if (closing) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        "The server is restarting: try again in a moment."); // <1>
                return null;
            }
            return new HeartbeatsEndpoint(this);
        });
        // end::refuse[]
    }

    // tag::beat[]
    /** A connection has opened: its heartbeat starts. */
    void connected(Session session) {
        Heart heart = new Heart();
        hearts.put(session, heart);
        long every = pingEvery.toNanos();
        heart.timer = scheduler.scheduleWithFixedDelay(() -> beat(session, heart), every, every, TimeUnit.NANOSECONDS);
    }

    private void beat(Session session, Heart heart) {
        if (!heart.answered) {
            // No pong since the last ping: the peer is gone, or too far behind to matter. A close
            // frame would wait for an answer that never comes; disconnect ends it now.
            session.disconnect(); // <1>
            return;
        }
        heart.answered = false;
        // The send time travels in the ping, and comes back in the pong that answers it.
        long now = System.nanoTime();
        heart.pingSent = now;
        session.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, now), Sends.LOG_FAILURE); // <2>
    }

    /** A connection has ended, whichever way: its heartbeat ends with it. */
    void disconnected(Session session) {
        Heart heart = hearts.remove(session);
        if (heart != null && heart.timer != null) {
            heart.timer.cancel(false); // <3>
        }
        if (closing && hearts.isEmpty()) {
            allGone.complete(null);
        }
    }
    // end::beat[]

    // tag::pong[]
    /** A pong has arrived: the client is alive, and if it carries the last ping's send time, that ping's round trip is known. */
    void ponged(Session session, ByteBuffer payload) {
        Heart heart = hearts.get(session);
        if (heart == null) {
            return;
        }
        heart.pongs.incrementAndGet();
        // Any pong is a sign of life, one the client sent on its own too (RFC 6455, 5.5.3).
        heart.answered = true; // <1>
        // Only the last ping's own bytes make a round trip: other bytes are no time this server wrote.
        long sent = heart.pingSent;
        if (payload.remaining() == Long.BYTES && payload.getLong(payload.position()) == sent) { // <2>
            heart.roundTrip = Duration.ofNanos(System.nanoTime() - sent); // <3>
        }
    }
    // end::pong[]

    // tag::policy[]
    /** This server only pushes: a client that sends a message breaks its policy. */
    void received(Session session, String text) {
        session.close(StatusCode.POLICY_VIOLATION, reason("This server only pushes; it got: " + text), Sends.LOG_FAILURE);
    }
    // end::policy[]

    // tag::reason[]
    /** {@code text} cut to at most {@link #MAX_REASON_BYTES} bytes of UTF-8, never within a character. */
    static String reason(String text) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4; // <1>
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint); // <2>
        }
        return text.substring(0, end);
    }
    // end::reason[]

    // tag::shutdown[]
    /**
     * Shuts down for a restart: refuses new connections, tells every client 1012 so that it comes
     * back, lets what is queued for each drain until {@code deadline}, then stops.
     */
    public void shutdown(Duration deadline) throws Exception {
        closing = true; // <1>
        // A client reading its backlog may answer a ping late: no heartbeat during the drain.
        scheduler.shutdownNow();
        if (hearts.isEmpty()) {
            allGone.complete(null);
        }
        for (Session session : hearts.keySet()) {
            // Queued after the messages already queued: a client that reads gets them all, then this.
            session.close(StatusCode.SERVICE_RESTART, "Restarting: reconnect in a moment", Sends.LOG_FAILURE); // <2>
        }
        try {
            allGone.get(deadline.toMillis(), TimeUnit.MILLISECONDS); // <3>
        } catch (TimeoutException e) {
            // Those still reading when time is up are dropped by stop().
        }
        stop();
    }
    // end::shutdown[]

    @Override
    public void stop() throws Exception {
        scheduler.shutdownNow();
        super.stop();
    }

    /** Pushes {@code text} to every connected client. */
    public void push(String text) {
        for (Session session : hearts.keySet()) {
            session.sendText(text, Sends.LOG_FAILURE);
        }
    }

    /** How many clients are connected now. */
    public int clients() {
        return hearts.size();
    }

    /** How many pongs the server has had from the clients connected now. */
    public int pongs() {
        return hearts.values().stream().mapToInt(heart -> heart.pongs.get()).sum();
    }

    /** The latest round trip of each connected client that has answered a ping. */
    public List<Duration> roundTrips() {
        return hearts.values().stream().map(heart -> heart.roundTrip).filter(rtt -> rtt != null).toList();
    }

    /** How many heartbeat timers are live: one per connected client. */
    public int scheduledTasks() {
        return scheduler.liveTimers();
    }

    public static void main(String[] args) throws Exception {
        run(new HeartbeatsServer(Duration.ofSeconds(10), Duration.ofSeconds(60)), args);
    }
}
