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

    // tag::track[]
    @OnWebSocketOpen
    public void onOpen(Session session) {
        server.join(session);
    }

    // Jetty calls this for every end of a connection: a close handshake, and a failure too
    // (a dropped connection, a failed write), after onError, with the failure's code (1006 if dropped).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.leave(session); // <1>
    }
    // end::track[]

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }

    // tag::relay[]
    @OnWebSocketMessage
    public void onMessage(String message) {
        server.broadcast(message);
    }
    // end::relay[]
}
