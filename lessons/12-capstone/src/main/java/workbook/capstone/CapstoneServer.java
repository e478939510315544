package workbook.capstone;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.util.Callback;

import workbook.server.AllowedOrigins;
import workbook.server.Clients;
import workbook.server.Heartbeats;
import workbook.server.Json;
import workbook.server.LessonServer;
import workbook.server.Scheduler;

/**
 * Lesson 12: every push of the course on one endpoint. Each client gets a welcome and five bytes,
 * the time every {@code tickEvery} on a timer of its own, an answer to each message, the broadcasts
 * it or another client asks for; all clients get one random update every {@code updateEvery} and
 * each event of {@link DataEvents}. Every timer runs on one scheduler and ends with its connection;
 * a ping every {@code pingEvery} drops a client that stopped answering; pages of other sites are
 * refused; the kit bounds what waits for each client, listens on loopback and says 1001 on stop.
 */
public final class CapstoneServer extends LessonServer {

    /** An answer, or a broadcast: {"type":"response","content":"hi","timestamp":1764000000000}. */
    record Reply(String type, String content, long timestamp) {
    }

    /** The scheduled update: {"type":"update","value":42,"timestamp":1764000000000}. */
    record Update(String type, int value, long timestamp) {
    }

    /** An event of the program: {"type":"new-data","data":"row 7 saved","timestamp":1764000000000}. */
    record NewData(String type, String data, long timestamp) {
    }

    private final Duration tickEvery;
    private final Duration updateEvery;
    private final DataEvents events = new DataEvents();
    private final Clients clients = new Clients();
    /** One thread for every timer of the server: the ticks, the update, the heartbeats. */
    private final Scheduler scheduler = new Scheduler("capstone-timers");
    private final Heartbeats heartbeats;
    private final AllowedOrigins origins = new AllowedOrigins();
    /** Every client's tick, the ended ones until the next is added: for the tests' count. */
    private final Set<ScheduledFuture<?>> ticks = ConcurrentHashMap.newKeySet();
    /** Ends the subscription to the events; set by start. */
    private volatile Runnable unsubscribe = () -> { };

    public CapstoneServer(Duration tickEvery, Duration updateEvery, Duration pingEvery) {
        this.tickEvery = tickEvery;
        this.updateEvery = updateEvery;
        this.heartbeats = new Heartbeats(scheduler, pingEvery);
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", this::upgrade);
    }

    // tag::origin[]
    /** The upgrade request, before any WebSocket exists: a page of another site gets 403. */
    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        // TODO 5: a page of another site must not open a WebSocket here: when origins does not allow
        //  the request, answer with AllowedOrigins.refuse (403, and null for no endpoint).
        return new CapstoneEndpoint(this);
    }
    // end::origin[]

    // tag::start[]
    @Override
    public URI start(String host, int port) throws Exception {
        URI uri = super.start(host, port);
        // TODO 5: let in the live page this server serves itself, now that its port is known (origins).
        // TODO 2: one timer on the scheduler that runs update() every updateEvery, for every client at
        //  once; and newData() for each of the program's events (keep what subscribe returns in unsubscribe).
        return uri;
    }
    // end::start[]

    // tag::pushes[]
    private void update() {
        int value = ThreadLocalRandom.current().nextInt(100);
        clients.broadcast(Json.write(new Update("update", value, System.currentTimeMillis())));
    }

    /** Called on the emitter's thread: a broadcast queues each send and returns, it never blocks. */
    private void newData(String data) {
        clients.broadcast(Json.write(new NewData("new-data", data, System.currentTimeMillis())));
    }
    // end::pushes[]

    @Override
    public void stop() throws Exception {
        // First the timers and the events, so that none pushes to a session that is closing; then the sessions.
        scheduler.shutdownNow();
        unsubscribe.run();
        super.stop();
    }

    /** Lets pages from {@code origin}, e.g. "https://example.com", open a WebSocket here. */
    public void allowOrigin(String origin) {
        origins.allow(origin);
    }

    /** The program's events, which this server pushes to every client: events().emit("row 7 saved"). */
    public DataEvents events() {
        return events;
    }

    /** Runs {@code tick} every tickEvery, on the server's one scheduler, until cancelled. */
    ScheduledFuture<?> everyTick(Runnable tick) {
        long every = tickEvery.toNanos();
        ScheduledFuture<?> timer = scheduler.scheduleWithFixedDelay(tick, every, every, TimeUnit.NANOSECONDS);
        // Forget the ticks that have ended, so that the set holds only as many as there are clients.
        ticks.removeIf(Future::isDone);
        ticks.add(timer);
        return timer;
    }

    Heartbeats heartbeats() {
        return heartbeats;
    }

    void joined(Session session) {
        clients.add(session);
    }

    void left(Session session) {
        clients.remove(session);
    }

    /** Sends {@code content} to every client, as {"type":"broadcast",...}: bounded, never blocking. */
    void broadcast(String content) {
        clients.broadcast(Json.write(new Reply("broadcast", content, System.currentTimeMillis())));
    }

    /** The bytes every client gets after the welcome: 0, 1, 2, 3, 4. A new buffer each time: Jetty reads it as it sends. */
    static ByteBuffer bytes() {
        return ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4});
    }

    /** How many clients are connected now. */
    public int clientCount() {
        return clients.count();
    }

    /** How many timers are live: the update, and each client's tick and heartbeat, on the one scheduler. */
    public int scheduledTasks() {
        return scheduler.liveTimers();
    }

    /** How many clients' ticks are live: scheduled and not cancelled. */
    public int liveTicks() {
        return (int) ticks.stream().filter(timer -> !timer.isDone()).count();
    }

    /** How many clients have a heartbeat now. */
    public int heartbeatCount() {
        return heartbeats.count();
    }

    /** How many pongs have come since the server started. */
    public int pongs() {
        return heartbeats.pongs();
    }

    /** Whether the scheduler has stopped for good, its thread ended. */
    public boolean isSchedulerTerminated() {
        return scheduler.isTerminated();
    }

    public static void main(String[] args) throws Exception {
        run(new CapstoneServer(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)), args);
    }
}
