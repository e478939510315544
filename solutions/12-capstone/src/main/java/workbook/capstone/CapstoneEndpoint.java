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
        tick = server.everyTick(() -> tick(session)); // <1>
        server.heartbeats().start(session); // <2>
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
        Incoming message = Incoming.parse(text);
        if (message == null) {
            session.sendText("You sent: \"" + text + "\"", Sends.LOG_FAILURE); // <1>
        } else if (message.type().equals("broadcast")) {
            server.broadcast(message.content()); // <2>
        } else {
            Reply reply = new Reply("response", message.content(), System.currentTimeMillis());
            session.sendText(Json.write(reply), Sends.LOG_FAILURE); // <3>
        }
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
        server.heartbeats().ponged(session); // <1>
    }
    // end::pong[]

    // tag::close[]
    // Jetty calls this for every end of a connection: a close handshake, a drop (1006), a heartbeat's disconnect.
    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        server.left(session);
        if (tick != null) {
            tick.cancel(false); // <1>
        }
        server.heartbeats().stop(session); // <2>
    }
    // end::close[]

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
