package workbook.tool;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A WebSocket client for {@code ./workbook play}: it prints everything the server pushes, as it
 * arrives, so that a learner can push by hand in JShell and watch it land.
 */
@WebSocket
public final class PlayClient {

    private static WebSocketClient jetty;
    private static int clients;

    private final String name;
    private Session session;

    private PlayClient(String name) {
        this.name = name;
    }

    /** Connects a new client to {@code uri}, e.g. {@code ws://localhost:8080/}. */
    public static synchronized PlayClient connect(URI uri) throws Exception {
        if (jetty == null) {
            jetty = new WebSocketClient();
            jetty.start();
        }
        PlayClient client = new PlayClient("client " + ++clients);
        client.session = jetty.connect(client, uri).get(5, TimeUnit.SECONDS);
        return client;
    }

    public static PlayClient connect(String uri) throws Exception {
        return connect(URI.create(uri));
    }

    public void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    public void send(byte... bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    public void close() {
        session.close();
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        System.out.println("[" + name + "] connected to " + session.getUpgradeRequest().getRequestURI());
    }

    @OnWebSocketMessage
    public void onText(String text) {
        System.out.println("[" + name + "] <- " + text);
    }

    @OnWebSocketMessage
    public void onBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        System.out.println("[" + name + "] <- binary " + Arrays.toString(bytes));
    }

    @OnWebSocketClose
    public void onClose(int code, String reason) {
        System.out.println("[" + name + "] closed: " + code + " " + reason);
    }

    @Override
    public String toString() {
        return name + (session != null && session.isOpen() ? ", open" : ", closed");
    }
}
