package workbook.broadcast;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

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

    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.leave(session);
    }

    // A connection that breaks (the client vanished, a write failed) ends here: forget it too.
    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        server.leave(session); // <1>
    }
    // end::track[]

    // tag::relay[]
    @OnWebSocketMessage
    public void onMessage(String message) {
        server.broadcast(message);
    }
    // end::relay[]
}
