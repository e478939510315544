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
        // TODO 3: set the container's idle timeout to idleTimeout (Jetty's default is 30 s).
        // TODO 4: once closing, refuse an upgrade with HTTP 503 and a message (then return null).
        endpoints.addMapping("/", (request, response, callback) -> new HeartbeatsEndpoint(this));
    }

    /** A connection has opened: its heartbeat starts. */
    void connected(Session session) {
        Heart heart = new Heart();
        hearts.put(session, heart);
        // TODO 1: on the scheduler, run beat(session, heart) every pingEvery; keep the timer in heart.timer.
    }

    private void beat(Session session, Heart heart) {
        // TODO 1: if the last ping has had no pong, the client is gone: end the connection at once.
        //         Otherwise mark the heart as waiting, and ping the client without blocking.
        // TODO 2: put the send time (System.nanoTime()) in the ping's payload, and keep it in heart.pingSent.
    }

    /** A connection has ended, whichever way: its heartbeat ends with it. */
    void disconnected(Session session) {
        Heart heart = hearts.remove(session);
        // TODO 1: stop the connection's heartbeat timer.
        // TODO 4: once closing, complete allGone when the last connection has gone.
    }

    /** A pong has arrived: the client is alive, and if it carries the last ping's send time, that ping's round trip is known. */
    void ponged(Session session, ByteBuffer payload) {
        // TODO 1: the client answered: count the pong in heart.pongs, and mark the heart as answered.
        //         Any pong counts, one the client sent unasked too (RFC 6455, 5.5.3).
        // TODO 2: if the payload is the last ping's send time (heart.pingSent), keep the round trip in
        //         heart.roundTrip: now minus that time. A pong with other bytes makes no round trip.
    }

    /** This server only pushes: a client that sends a message breaks its policy. */
    void received(Session session, String text) {
        // TODO 3: close the connection with 1008 (policy violation), and a reason that says why and
        //         quotes the text, cut to fit by reason().
    }

    /** {@code text} cut to at most {@link #MAX_REASON_BYTES} bytes of UTF-8, never within a character. */
    static String reason(String text) {
        // TODO 3: count each character's UTF-8 bytes, and stop before the one that would not fit.
        return text;
    }

    /**
     * Shuts down for a restart: refuses new connections, tells every client 1012 so that it comes
     * back, lets what is queued for each drain until {@code deadline}, then stops.
     */
    public void shutdown(Duration deadline) throws Exception {
        // TODO 4: refuse new connections, stop the heartbeats, close every client with 1012 (service
        //         restart), wait for allGone until the deadline, and only then stop().
        stop();
    }

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
