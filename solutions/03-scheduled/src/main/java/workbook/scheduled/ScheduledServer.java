package workbook.scheduled;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.Clients;
import workbook.server.LessonServer;

/**
 * Lesson 03: pushes on a schedule. Each client gets the time every {@code clockEvery}; every
 * {@code updateEvery}, all clients get one JSON update.
 */
public final class ScheduledServer extends LessonServer {

    /** A scheduled update; Jackson writes a record's components as the object's fields. */
    record Update(String type, int value, long timestamp) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Duration clockEvery;
    private final Duration updateEvery;
    private final Clients clients = new Clients();

    // tag::scheduler[]
    /** One thread runs every timer of the server: a task is cheap, a thread per client is not. */
    private final ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(1, task -> new Thread(task, "lesson-scheduler"));
    // end::scheduler[]

    public ScheduledServer(Duration clockEvery, Duration updateEvery) {
        this.clockEvery = clockEvery;
        this.updateEvery = updateEvery;
        // A cancelled task leaves the queue at once instead of at its next due time.
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) ->
                new ClockEndpoint(scheduler, clockEvery, clients));
    }

    // tag::updates[]
    @Override
    public URI start(int port) throws Exception {
        URI uri = super.start(port);
        long every = updateEvery.toMillis();
        scheduler.scheduleWithFixedDelay(() -> clients.broadcast(update()), every, every, MILLISECONDS); // <1>
        return uri;
    }

    static String update() {
        try {
            int value = ThreadLocalRandom.current().nextInt(100);
            return MAPPER.writeValueAsString(new Update("update", value, System.currentTimeMillis()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A record of a string and two numbers is always JSON", e);
        }
    }
    // end::updates[]

    // tag::shutdown[]
    @Override
    public void stop() throws Exception {
        // First the timers, so that none fires at a session that is closing; then the sessions.
        scheduler.shutdownNow(); // <1>
        super.stop();
    }
    // end::shutdown[]

    /** How many timers are waiting to run: one for the updates, one per connected client. */
    public int scheduledTasks() {
        return scheduler.getQueue().size();
    }

    /** Whether the scheduler has stopped for good, its thread ended. */
    public boolean isSchedulerTerminated() {
        return scheduler.isTerminated();
    }

    public static void main(String[] args) throws Exception {
        run(new ScheduledServer(Duration.ofSeconds(5), Duration.ofSeconds(10)), args);
    }
}
