package workbook.heartbeats;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketPong;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;
import workbook.server.TextOnly;

/**
 * One client's connection. This file is done: it tells the server of each event of the
 * connection's life, and your tasks are the server's methods that it calls.
 */
@WebSocket
public class HeartbeatsEndpoint {

    private final HeartbeatsServer server;

    HeartbeatsEndpoint(HeartbeatsServer server) {
        this.server = server;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        server.connected(session);
    }

    // The answer to a ping: a browser, Jetty's client and Node's ws send it on their own, with the
    // ping's payload.
    @OnWebSocketPong
    public void onPong(Session session, ByteBuffer payload) {
        server.ponged(session, payload);
    }

    @OnWebSocketMessage
    public void onMessage(Session session, String text) {
        server.received(session, text);
    }

    // Without it Jetty would drop a binary message in silence: this server reads text only, and says so with 1003.
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        TextOnly.refuse(session, callback);
    }

    // Jetty calls this for every end of a connection: a close handshake, a drop (1006), an idle timeout (1001).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.disconnected(session);
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
