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

    // tag::clock[]
    @OnWebSocketOpen
    public void onOpen(Session session) {
        clients.add(session);
        // Fixed delay, not fixed rate: after a stall the clock goes on, without a burst of ticks.
        long millis = every.toMillis();
        clock = scheduler.scheduleWithFixedDelay(() -> tick(session), millis, millis, TimeUnit.MILLISECONDS); // <1>
    }

    private void tick(Session session) {
        if (session.isOpen()) { // <2>
            session.sendText(Instant.now().toString(), Sends.LOG_FAILURE);
        }
    }
    // end::clock[]

    // tag::cancel[]
    // Jetty calls this for every end of a connection: a close handshake, and a failure too
    // (a dropped connection, a failed write), after onError, with the failure's code (1006 if dropped).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        clients.remove(session);
        // Without this the timer outlives its connection: it runs, for nothing, until the server stops.
        if (clock != null) {
            clock.cancel(false); // <1>
        }
    }
    // end::cancel[]

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
