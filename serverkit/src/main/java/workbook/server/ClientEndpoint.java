package workbook.server;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

/**
 * The endpoint of a client that only listens: it joins its session to {@link Clients} when the
 * connection opens and leaves when it closes.
 */
@WebSocket
public class ClientEndpoint {

    private final Clients clients;

    public ClientEndpoint(Clients clients) {
        this.clients = clients;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        clients.add(session);
    }

    // Jetty calls this for every end of a connection, after onError too (1006 for a dropped one).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        clients.remove(session);
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
