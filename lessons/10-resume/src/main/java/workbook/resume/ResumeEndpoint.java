package workbook.resume;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.resume.ResumeServer.Resume;
import workbook.server.Failures;
import workbook.server.TextOnly;

/**
 * One client's connection, given: it subscribes on open, publishes the text the client sends,
 * refuses binary messages, and unsubscribes on close. The lesson's work is in {@link ResumeServer}.
 */
@WebSocket
public class ResumeEndpoint {

    private final ResumeServer server;
    /** Where this client says it stopped, from its address; null for a new client. */
    private final Resume resume;

    ResumeEndpoint(ResumeServer server, Resume resume) {
        this.server = server;
        this.resume = resume;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        server.subscribe(session, resume);
    }

    @OnWebSocketMessage
    public void onText(String text) {
        server.publish(text);
    }

    /** Only text is published: a binary message closes the connection with 1003, rather than vanish unread. */
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        TextOnly.refuse(session, callback);
    }

    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.unsubscribe(session);
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
