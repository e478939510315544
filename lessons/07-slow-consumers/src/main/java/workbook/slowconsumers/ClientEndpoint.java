package workbook.slowconsumers;

import java.nio.ByteBuffer;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.TextOnly;

/** One client of the chat or of the ticker. This file is done: its outbox is where your tasks are. */
@WebSocket
public class ClientEndpoint {

    /** A chat post as every client gets it: {"type":"chat","text":"hello"}. */
    record Chat(String type, String text) {
    }

    private final SlowConsumersServer server;
    private final Map<Session, Outbox> clients;

    ClientEndpoint(SlowConsumersServer server, Map<Session, Outbox> clients) {
        this.server = server;
        this.clients = clients;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        clients.put(session, new Outbox(session));
    }

    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        clients.remove(session);
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }

    /** A chat client's post goes to every chat client; the ticker's clients only listen. */
    @OnWebSocketMessage
    public void onMessage(Session session, String text) {
        if (clients == server.chat) {
            server.post(Json.write(new Chat("chat", text)));
        }
    }

    /** Both endpoints read text only: a binary message closes the connection with 1003 instead of vanishing unread. */
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        TextOnly.refuse(session, callback);
    }
}
