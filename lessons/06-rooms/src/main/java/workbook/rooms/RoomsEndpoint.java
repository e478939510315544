package workbook.rooms;

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

/**
 * One connection of a named user. This file is done: it reads each message and calls the server,
 * whose methods are your tasks, and it answers what it cannot act on with an error, never by
 * closing the connection.
 */
@WebSocket
public class RoomsEndpoint {

    private final RoomsServer server;
    /** The name this connection gave in its upgrade request (?user=alice). */
    private final String user;

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
        server.disconnected(user, session);
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
                server.join(request.room(), session);
                reply(session, new Membership("joined", request.room()));
            }
            case "leave" -> {
                server.leave(request.room(), session);
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

    private static void reply(Session session, Object message) {
        session.sendText(Json.write(message), Sends.LOG_FAILURE);
    }
}
