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

    // tag::welcome[]
    @OnWebSocketOpen
    public void onOpen(Session session) {
        // The server speaks first: nothing needs to arrive from the client before a push.
        session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>
    }
    // end::welcome[]

    // tag::reply[]
    @OnWebSocketMessage
    public void onMessage(Session session, String message) throws JsonProcessingException {
        // This session is the sender's, so the reply goes to the sender alone.
        session.sendText(reply(message), Sends.LOG_FAILURE); // <1>
    }

    /** The answer to a message, in the format this connection asked for. */
    private String reply(String message) throws JsonProcessingException {
        return switch (format) {
            case TEXT -> "Server received: \"" + message + "\"";
            case JSON -> jsonReply(message); // <2>
        };
    }
    // end::reply[]

    // tag::json[]
    /** The JSON answer, e.g. {@code {"type":"response","content":"hi","timestamp":1764000000000}}. */
    static String jsonReply(String message) throws JsonProcessingException {
        // Jackson escapes quotes and control characters in the content: never build JSON by hand.
        return MAPPER.writeValueAsString(new Reply("response", message, System.currentTimeMillis())); // <1>
    }
    // end::json[]

    // Jetty calls this when a connection fails, or when a method above throws (it then closes the
    // connection with 1011). The server kit logs why; lesson 2 says more.
    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
