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
    // tag::rate[]
    /** This connection's own budget of messages: a flood here leaves the others theirs. */
    private final RateLimit rate;

    SecurityEndpoint(SecurityServer server, String user) {
        this.server = server;
        this.user = user;
        this.rate = new RateLimit(SecurityServer.MESSAGES_PER_SECOND, server.clock());
    }
    // end::rate[]

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
        // tag::flood[]
        if (!rate.tryTake()) {
            refuse(session, "Over " + SecurityServer.MESSAGES_PER_SECOND + " messages a second."); // <1>
            return;
        }
        // end::flood[]
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
        // tag::post[]
        String refusal = refusal(request, session);
        if (refusal != null) {
            refuse(session, refusal);
            return;
        }
        server.post(request.room(), Json.write(new RoomMessage("room", request.room(), user, request.text()))); // <1>
        // end::post[]
    }

    // tag::authorise[]
    /** Why this connection may not send {@code post}, or null when it may. */
    private String refusal(Request post, Session session) {
        if (!post.from().equals(user)) {
            return "You are " + user + ": you may not post as " + post.from() + "."; // <1>
        }
        if (!server.isMember(post.room(), session)) {
            return "You may post only to rooms you joined, not to " + post.room() + "."; // <2>
        }
        return null;
    }

    /** Ends a connection that broke a rule: 1008, and a reason of at most 123 bytes (names are 32 at most). */
    private static void refuse(Session session, String reason) {
        if (session.isOpen()) { // once: messages read after the close frame went out change nothing
            session.close(StatusCode.POLICY_VIOLATION, reason, Callback.NOOP); // <3>
        }
    }
    // end::authorise[]
}
