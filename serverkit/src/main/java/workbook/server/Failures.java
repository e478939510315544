package workbook.server;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.CloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every lesson endpoint does with the cause Jetty passes to its {@code @OnWebSocketError}. */
public final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    /** Hears every failure too: the tests' way to say where an endpoint threw. Nobody, elsewhere. */
    private static volatile Consumer<Throwable> observer = cause -> { };

    private Failures() {
    }

    /**
     * Logs why a connection failed. A client that drops, times out or breaks the protocol is part of
     * a server's life: one line. Anything else was thrown by the endpoint's own code, and Jetty has
     * closed the connection with 1011 (server error): that is a bug, logged with where it happened.
     */
    public static void log(Session session, Throwable cause) {
        if (cause instanceof IOException || cause instanceof TimeoutException || cause instanceof CloseException) {
            LOG.info("A connection failed: {}", cause.toString());
        } else {
            LOG.warn("An endpoint threw, and its connection was closed with 1011", cause);
        }
        observer.accept(cause);
    }

    /** For tests: {@code listener} hears every failure from now on; null for nobody. */
    public static void observe(Consumer<Throwable> listener) {
        observer = listener == null ? cause -> { } : listener;
    }
}
