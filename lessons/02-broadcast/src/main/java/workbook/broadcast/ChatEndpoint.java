package workbook.broadcast;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;

/** One chat client's connection. */
@WebSocket
public class ChatEndpoint {

    private final BroadcastServer server;

    ChatEndpoint(BroadcastServer server) {
        this.server = server;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        // TODO 1: the server keeps track of its open sessions: join this one (server.join).
    }

    // Jetty calls this for every end of a connection: a close handshake, and a failure too
    // (a dropped connection, a failed write), after onError, with the failure's code (1006 if dropped).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        // TODO 1: and forget it when its connection ends (server.leave).
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }

    @OnWebSocketMessage
    public void onMessage(String message) {
        // TODO 3: relay the message, unchanged, to every open client, the sender included.
    }
}
