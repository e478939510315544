package workbook.server;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * For an endpoint that reads text only. Without a binary handler, Jetty drops a client's binary
 * messages in silence: the client never learns that nobody reads them, and no limit the endpoint
 * keeps on messages (their size, their rate) counts them. A text-only endpoint says so instead:
 *
 * <pre>{@code
 * @OnWebSocketMessage
 * public void onBinary(Session session, ByteBuffer payload, Callback callback) {
 *     TextOnly.refuse(session, callback);
 * }
 * }</pre>
 */
public final class TextOnly {

    /** The close reason a client gets for a binary message. */
    public static final String REASON = "This endpoint reads text messages only";

    private TextOnly() {
    }

    /** Gives the payload back to Jetty and closes the connection with 1003 (cannot accept this data). */
    public static void refuse(Session session, Callback callback) {
        callback.succeed();
        session.close(StatusCode.BAD_DATA, REASON, Callback.NOOP);
    }
}
