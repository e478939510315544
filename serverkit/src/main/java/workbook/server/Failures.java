package workbook.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.CloseException;
import org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What lesson servers do with a failure: the cause Jetty passes to an endpoint's
 * {@code @OnWebSocketError}, and an exception from a timer or an event subscriber.
 */
public final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    /** Hears every failure of the server's own code: the tests' way to say where the learner's code threw. Nobody, elsewhere. */
    private static volatile Consumer<Throwable> observer = cause -> { };

    private Failures() {
    }

    /**
     * Logs why a connection failed. A client that drops, stays silent past the idle timeout or
     * breaks the protocol is part of a server's life: one line. Anything else was thrown by the
     * endpoint's own code, and Jetty has closed the connection with 1011 (server error): a bug,
     * logged with where it happened.
     */
    public static void log(Session session, Throwable cause) {
        if (fromTheNetwork(cause)) {
            // Not the endpoint's doing, even when its stack runs through the endpoint's code (a send
            // that fails at once on a dropped connection): nothing for the observer.
            LOG.info("The connection of {} failed: {}", client(session), cause.toString());
        } else {
            LOG.warn("An endpoint threw, and the connection of {} was closed with 1011", client(session), cause);
            observer.accept(cause);
        }
    }

    /** Which client, as far as it is known: Jetty forgets the address once the connection has closed. */
    private static String client(Session session) {
        SocketAddress address = session.getRemoteSocketAddress();
        return address == null ? "a client (gone by now)" : "the client at " + address;
    }

    /**
     * Logs an exception that the server's own code threw outside any endpoint, e.g. in a timer or
     * in the action of a CompletionStage (which keeps it in the stage it returns, and says nothing).
     */
    public static void report(String where, Throwable cause) {
        // A dependent stage's failure comes wrapped: what was thrown is inside.
        Throwable thrown = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        LOG.warn("{} threw", where, thrown);
        observer.accept(thrown);
    }

    /** For tests: {@code listener} hears every failure from now on; null for nobody. */
    public static void observe(Consumer<Throwable> listener) {
        observer = listener == null ? cause -> { } : listener;
    }

    /**
     * Whether Jetty raised it about the connection: a close for a protocol error or a message too
     * big, an idle timeout, or an I/O failure thrown inside Jetty or the JDK's networking. An
     * IOException the endpoint threw itself (a JsonProcessingException, say) is the endpoint's.
     */
    private static boolean fromTheNetwork(Throwable cause) {
        if (cause instanceof CloseException || cause instanceof WebSocketTimeoutException) {
            return true;
        }
        StackTraceElement[] stack = cause.getStackTrace();
        return cause instanceof IOException && (stack.length == 0 || stack[0].getClassName().startsWith("org.eclipse.jetty.")
                || stack[0].getClassName().startsWith("sun.nio.") || stack[0].getClassName().startsWith("java.nio."));
    }
}
