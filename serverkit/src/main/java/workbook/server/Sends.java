package workbook.server;

import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What lesson endpoints pass to {@code sendText}/{@code sendBinary}. */
public final class Sends {

    private static final Logger LOG = LoggerFactory.getLogger(Sends.class);

    /**
     * For a send whose failure needs nothing but a log line. Sends are asynchronous: a send to a
     * client that has gone does not throw where it is called; it fails this callback, later.
     */
    public static final Callback LOG_FAILURE =
            Callback.from(() -> { }, failure -> LOG.info("A send failed: {}", failure.toString()));

    private Sends() {
    }
}
