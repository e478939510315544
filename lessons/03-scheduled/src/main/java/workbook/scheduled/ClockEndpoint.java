package workbook.scheduled;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Clients;
import workbook.server.Failures;
import workbook.server.Sends;

/** One client's connection, with a clock of its own that pushes the time. */
@WebSocket
public class ClockEndpoint {

    private final ScheduledExecutorService scheduler;
    private final Duration every;
    private final Clients clients;
    /** This connection's timer: set in onOpen and read in onClose, maybe on another Jetty thread. */
    private volatile ScheduledFuture<?> clock;

    ClockEndpoint(ScheduledExecutorService scheduler, Duration every, Clients clients) {
        this.scheduler = scheduler;
        this.every = every;
        this.clients = clients;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        clients.add(session);
        // TODO 1: start this connection's clock: on the shared scheduler, run tick(session) every
        //         `every`, and keep the ScheduledFuture it returns in the clock field, for TODO 2.
        //         scheduleWithFixedDelay(task, initialDelay, delay, TimeUnit.MILLISECONDS) does it.
    }

    private void tick(Session session) {
        // TODO 1: while the session is open, push it the current time as ISO-8601 text
        //         (Instant.now().toString(), e.g. 2026-11-24T10:15:30.409191570Z).
    }

    // Jetty calls this for every end of a connection: a close handshake, and a failure too
    // (a dropped connection, a failed write), after onError, with the failure's code (1006 if dropped).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        clients.remove(session);
        // TODO 2: stop this connection's clock (cancel the clock future, if there is one), or its
        //         timer outlives the connection and runs, for nothing, until the server stops.
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
