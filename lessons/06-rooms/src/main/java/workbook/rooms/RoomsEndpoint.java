package workbook.rooms;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.rooms.Messages.Direct;
import workbook.rooms.Messages.Error;
import workbook.rooms.Messages.Membership;
import workbook.rooms.Messages.Request;
import workbook.rooms.Messages.RoomMessage;
import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.Sends;
import workbook.server.TextOnly;

/**
 * One connection of a named user. This file is done: it reads each message and calls the server,
 * whose methods are your tasks, and it answers what it cannot act on with an error, never by
 * closing the connection (a binary message aside: nobody here reads one, and its sender hears so
 * with 1003). It also keeps the bounds on what one connection may make the server keep: its rooms
 * ({@link #MAX_ROOMS}) and their names ({@link Messages#MAX_ROOM_NAME}).
 */
@WebSocket
public class RoomsEndpoint {

    /**
     * The most rooms one connection may be in. Each membership is memory in the server: without a
     * bound, one client that joins room after room grows the server until it falls over.
     */
    static final int MAX_ROOMS = 100;

    private final RoomsServer server;
    /** The name this connection gave in its upgrade request (?user=alice). */
    private final String user;
    /**
     * The rooms this connection is in, so that its close leaves those and looks at no other room.
     * Concurrent: Jetty may call onClose on another thread than the last onMessage.
     */
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();

    RoomsEndpoint(RoomsServer server, String user) {
        this.server = server;
        this.user = user;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        server.connected(user, session);
    }

    // Jetty calls this for every end of a connection, a failed one included (after onError).
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.disconnected(user, session, Set.copyOf(rooms));
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }

    @OnWebSocketMessage
    public void onMessage(Session session, String text) {
        Request request;
        try {
            request = Messages.read(text);
        } catch (Messages.Invalid invalid) {
            // Bad input is the client's mistake, not the end of its connection: say what was wrong.
            reply(session, new Error(invalid.getMessage()));
            return;
        }
        switch (request.type()) {
            case "direct" -> {
                String direct = Json.write(new Direct("direct", user, request.text()));
                if (!server.sendTo(request.to(), direct)) {
                    reply(session, new Error("No user named " + request.to() + " is connected."));
                }
            }
            case "join" -> {
                if (!rooms.contains(request.room()) && rooms.size() >= MAX_ROOMS) {
                    reply(session, new Error("You are in " + MAX_ROOMS + " rooms, the most one connection may be in:"
                            + " leave one before you join " + request.room() + "."));
                    return;
                }
                server.join(request.room(), session);
                rooms.add(request.room());
                reply(session, new Membership("joined", request.room()));
            }
            case "leave" -> {
                server.leave(request.room(), session);
                rooms.remove(request.room());
                reply(session, new Membership("left", request.room()));
            }
            case "post" -> {
                if (server.isMember(request.room(), session)) {
                    server.post(request.room(), Json.write(new RoomMessage("room", request.room(), user, request.text())));
                } else {
                    reply(session, new Error("You are not in the room " + request.room() + ": join it first."));
                }
            }
            default -> throw new IllegalStateException("Messages.read lets no other type through: " + request.type());
        }
    }

    // Without this, Jetty drops a binary message in silence, and its sender never learns why.
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        TextOnly.refuse(session, callback);
    }

    private static void reply(Session session, Object message) {
        session.sendText(Json.write(message), Sends.LOG_FAILURE);
    }
}
