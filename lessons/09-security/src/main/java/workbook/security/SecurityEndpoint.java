package workbook.security;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.security.Messages.Error;
import workbook.security.Messages.Joined;
import workbook.security.Messages.Request;
import workbook.security.Messages.RoomMessage;
import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.Sends;
import workbook.server.TextOnly;

/** One connection of a user whose token the server checked at the upgrade. */
@WebSocket
public class SecurityEndpoint {

    /** The most rooms one connection may be in: each membership is memory in the server. */
    static final int MAX_ROOMS = 100;

    private final SecurityServer server;
    /** The user the token named: who this connection is, whatever its messages say. */
    private final String user;
    /** The rooms this connection is in: its close leaves those, and looks at no other room. */
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();

    SecurityEndpoint(SecurityServer server, String user) {
        this.server = server;
        this.user = user;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        server.connected(user, session);
    }

    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.disconnected(user, session, Set.copyOf(rooms));
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }

    // Nobody here reads binary: Jetty would drop it in silence. Its size counts all the same (configure).
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        TextOnly.refuse(session, callback);
    }

    @OnWebSocketMessage
    public void onMessage(Session session, String text) {
        // TODO 4: allow each connection MESSAGES_PER_SECOND messages a second (a RateLimit of its
        //         own, on the server's clock); close one that sends more with 1008 (policy
        //         violation) and a short reason.
        Request request;
        try {
            request = Messages.read(text);
        } catch (Messages.Invalid invalid) {
            session.sendText(Json.write(new Error(invalid.getMessage())), Sends.LOG_FAILURE);
            return;
        }
        if (request.type().equals("join")) {
            if (!rooms.contains(request.room()) && rooms.size() >= MAX_ROOMS) {
                session.sendText(Json.write(new Error("You are in " + MAX_ROOMS + " rooms, the most one connection may be in.")),
                        Sends.LOG_FAILURE);
                return;
            }
            server.join(request.room(), session);
            rooms.add(request.room());
            session.sendText(Json.write(new Joined("joined", request.room())), Sends.LOG_FAILURE);
            return;
        }
        // TODO 3: a post must name this connection's user as its sender, and go to a room this
        //         connection joined: close the connection of one that does not with 1008 (policy
        //         violation) and a reason of at most 123 bytes. The sender is then this.user.
        server.post(request.room(), Json.write(new RoomMessage("room", request.room(), request.from(), request.text())));
    }
}
