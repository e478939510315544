package workbook.reply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;
import workbook.server.Sends;

/**
 * One client's connection: Jetty calls the annotated methods when the connection opens and when a
 * text message arrives from this client.
 */
@WebSocket
public class ReplyEndpoint {

    /** The first message every client gets, before it has said anything. */
    static final String WELCOME = "Welcome! Send me a message and I will answer it.";

    /** How this connection wants its replies; the path it connected to decides (see ReplyServer). */
    enum Format { TEXT, JSON }

    /** A JSON reply; Jackson writes a record's components as the object's fields. */
    record Reply(String type, String content, long timestamp) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Format format;

    ReplyEndpoint(Format format) {
        this.format = format;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        // TODO 1: push WELCOME to the client now, before it says anything, without blocking.
        //         Sends.LOG_FAILURE is a callback that logs a send that fails because the client
        //         has gone.
    }

    @OnWebSocketMessage
    public void onMessage(Session session, String message) throws JsonProcessingException {
        // TODO 2: answer the client that sent the message with reply(message).
        //         The session passed in is the sender's own: a send on it reaches nobody else.
    }

    /** The answer to a message, in the format this connection asked for. */
    private String reply(String message) throws JsonProcessingException {
        return switch (format) {
            case TEXT -> "Server received: \"" + message + "\"";
            case JSON -> jsonReply(message);
        };
    }

    /** The JSON answer, e.g. {@code {"type":"response","content":"hi","timestamp":1764000000000}}. */
    static String jsonReply(String message) throws JsonProcessingException {
        // TODO 3: return a Reply of type "response" with the message as its content and the current
        //         time in epoch milliseconds (System.currentTimeMillis()), written by
        //         MAPPER.writeValueAsString(...).
        return "{}";
    }

    // Jetty calls this when a connection fails, or when a method above throws (it then closes the
    // connection with 1011). The server kit logs why; lesson 2 says more.
    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
