package workbook.scheduled;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.Clients;
import workbook.server.Json;
import workbook.server.LessonServer;
import workbook.server.Scheduler;

/**
 * Lesson 03: pushes on a schedule. Each client gets the time every {@code clockEvery}; every
 * {@code updateEvery}, all clients get one JSON update.
 */
public final class ScheduledServer extends LessonServer {

    /** A scheduled update, sent as JSON: {"type":"update","value":42,"timestamp":1764000000000}. */
    record Update(String type, int value, long timestamp) {
    }

    private final Duration clockEvery;
    private final Duration updateEvery;
    private final Clients clients = new Clients();

    /**
     * One thread runs every timer of the server: a timer is a small task, a thread per client
     * costs a stack each. Scheduler is a ScheduledThreadPoolExecutor with one thread that can
     * count its live timers, for the tests.
     */
    private final Scheduler scheduler = new Scheduler("lesson-scheduler");

    public ScheduledServer(Duration clockEvery, Duration updateEvery) {
        this.clockEvery = clockEvery;
        this.updateEvery = updateEvery;
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) ->
                new ClockEndpoint(scheduler, clockEvery, clients));
    }

    @Override
    public URI start(int port) throws Exception {
        URI uri = super.start(port);
        // TODO 3: every updateEvery, push update() to all clients (clients.broadcast), with one
        //         task on the shared scheduler for the whole server.
        return uri;
    }

    static String update() {
        int value = ThreadLocalRandom.current().nextInt(100);
        return Json.write(new Update("update", value, System.currentTimeMillis()));
    }

    @Override
    public void stop() throws Exception {
        // TODO 4: shut the scheduler down, before super.stop(), so that no timer fires at a
        //         closing session and the scheduler's thread ends with the server.
        super.stop();
    }

    /** How many timers are live: one for the updates, and one per connected client. */
    public int scheduledTasks() {
        return scheduler.liveTimers();
    }

    /** Whether the scheduler has stopped for good, its thread ended. */
    public boolean isSchedulerTerminated() {
        return scheduler.isTerminated();
    }

    public static void main(String[] args) throws Exception {
        run(new ScheduledServer(Duration.ofSeconds(5), Duration.ofSeconds(10)), args);
    }
}
