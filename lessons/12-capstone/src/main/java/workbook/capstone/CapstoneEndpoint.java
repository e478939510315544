package workbook.capstone;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketPong;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.capstone.CapstoneServer.Reply;
import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.Sends;
import workbook.server.TextOnly;

/** One client's connection: its welcome, its tick, its answers and its heartbeat. */
@WebSocket
public class CapstoneEndpoint {

    /** The first message every client gets. */
    static final String WELCOME = "Welcome! You will get the time, updates, events and bytes from here.";

    private final CapstoneServer server;
    /** This connection's tick: set in onOpen and read in onClose, maybe on another Jetty thread. */
    private volatile ScheduledFuture<?> tick;

    CapstoneEndpoint(CapstoneServer server) {
        this.server = server;
    }

    // tag::open[]
    @OnWebSocketOpen
    public void onOpen(Session session) {
        // Queued before the client joins the broadcasts and gets its timers: the welcome comes first.
        session.sendText(WELCOME, Sends.LOG_FAILURE);
        session.sendBinary(CapstoneServer.bytes(), Sends.LOG_FAILURE);
        server.joined(session);
        // TODO 1: this connection's tick: tick(session) every tickEvery, on the server's scheduler
        //  (server.everyTick), kept in the field tick.
        // TODO 4: this connection's heartbeat starts (server.heartbeats()).
    }

    private void tick(Session session) {
        if (session.isOpen()) {
            session.sendText(Instant.now().toString(), Sends.LOG_FAILURE);
        }
    }
    // end::open[]

    // tag::message[]
    @OnWebSocketMessage
    public void onMessage(Session session, String text) {
        // TODO 3: route the message (Incoming.parse). Plain text: answer the sender with
        //  You sent: "<the text>". A JSON message of type "broadcast": its content to every client
        //  (server.broadcast). Any other JSON message: answer the sender with a Reply of type
        //  "response", its content and the time in milliseconds, as JSON.
    }
    // end::message[]

    // Without it Jetty would drop a binary message in silence: this endpoint reads text only, and says so with 1003.
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        TextOnly.refuse(session, callback);
    }

    // tag::pong[]
    // A browser, Jetty's client and Node's ws answer a ping with a pong on their own.
    @OnWebSocketPong
    public void onPong(Session session, ByteBuffer payload) {
        // TODO 4: the client is alive: tell its heartbeat.
    }
    // end::pong[]

    // tag::close[]
    // Jetty calls this for every end of a connection: a close handshake, a drop (1006), a heartbeat's disconnect.
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.left(session);
        // TODO 1: this connection's tick ends with it, or it runs until the server stops.
        // TODO 4: this connection's heartbeat ends with it.
    }
    // end::close[]

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
