package workbook.server;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.ResourceService.WelcomeMode;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketSessionListener;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The Jetty wiring that every lesson server shares: one HTTP connector, a WebSocket upgrade handler
 * whose endpoints each lesson maps, and the live page for a browser at {@code /}. A lesson server
 * extends this class and says only what is its own: which endpoint answers on which path, in
 * {@link #configure}.
 */
public abstract class LessonServer {

    /**
     * How long {@link #stop()} waits for the 1001 close frames to be written before it drops the
     * connections: a client that reads nothing would otherwise hold the stop for ever.
     */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

    /** How long a connection may stay silent before Jetty closes it. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    /**
     * How many messages may wait to be written to one client. A client that stops reading would
     * otherwise make the server queue messages for it without bound; past this, its sends fail
     * their callback. A lesson may set its own in {@link #configure}.
     */
    private static final int MAX_QUEUED_MESSAGES = 1_000;

    /** Where a server listens unless told otherwise: this machine only, not the learner's network. */
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * How many connections the kernel may hold for the server before it accepts them: the JVM's
     * default of 50 makes a thousand clients that connect at once wait and retry.
     */
    private static final int ACCEPT_QUEUE = 1_024;

    /** Where the server takes its buffers from: Jetty's own pool unless a test gives another. */
    private ByteBufferPool buffers;
    /** The kernel's send buffer of each connection, in bytes; 0 leaves it to the system. */
    private int sendBuffer;
    private Server server;
    private ServerConnector connector;
    private WebSocketUpgradeHandler upgrades;
    /** The sessions stop() is closing, each completed once its close handshake is over. */
    private final Map<Session, CompletableFuture<Void>> ending = new ConcurrentHashMap<>();
    /** A test's listener to the sessions' opens and closes, or null. */
    private WebSocketSessionListener sessions;

    /**
     * For tests, before {@link #start}: bugs that only show under load should show every time. The
     * server takes every buffer from {@code pool} (a test's pool spoils a buffer the moment Jetty
     * takes it back), and each connection gets a kernel send buffer of only {@code sendBufferBytes},
     * so that what a slow client does not read soon waits in the server's queue.
     */
    public void useTestNetwork(ByteBufferPool pool, int sendBufferBytes) {
        buffers = pool;
        sendBuffer = sendBufferBytes;
    }

    /**
     * For tests, before {@link #start}: {@code listener} hears of each connection's open and of
     * its close, once the endpoint's {@code @OnWebSocketClose} has returned, so that a test knows
     * when the server is done with a client that left.
     */
    public void listenToSessions(WebSocketSessionListener listener) {
        sessions = listener;
    }

    /** Maps the lesson's endpoints: which endpoint answers a WebSocket upgrade on which path. */
    protected abstract void configure(ServerWebSocketContainer endpoints);

    /**
     * Starts listening on {@code port} of this machine's loopback address; port 0 takes any free
     * port, as tests do.
     *
     * @return the WebSocket address of the root path, e.g. {@code ws://localhost:8080/}
     */
    public URI start(int port) throws Exception {
        return start(LOOPBACK, port);
    }

    /**
     * Starts listening on {@code port} of {@code host}: {@link #LOOPBACK}, or {@code 0.0.0.0} for
     * every interface, which lets anyone on the network connect.
     */
    public URI start(String host, int port) throws Exception {
        if (server != null) {
            throw new IllegalStateException("This server has started already: stop() it, or make a new one");
        }
        server = new Server(null, null, buffers);
        connector = new ServerConnector(server);
        if (sendBuffer > 0) {
            connector.setAcceptedSendBufferSize(sendBuffer);
        }
        connector.setHost(host);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        // tag::wiring[]
        // A request that asks for a WebSocket upgrade goes to the endpoint mapped to its path.
        upgrades = WebSocketUpgradeHandler.from(server, endpoints -> {
            // Jetty closes a connection that is silent for its idle timeout, 30 s by default. A
            // learner's browser tab or JShell client may well stay quiet longer than that.
            endpoints.setIdleTimeout(IDLE_TIMEOUT);
            endpoints.setMaxOutgoingFrames(MAX_QUEUED_MESSAGES);
            endpoints.addSessionListener(new Endings());
            if (sessions != null) {
                endpoints.addSessionListener(sessions);
            }
            configure(endpoints);
        });
        // Any other request, such as a browser's GET / for the page, goes on to the handler it wraps.
        upgrades.setHandler(new RefusedUpgrades(livePage()));
        server.setHandler(upgrades);
        connector.setPort(port);
        server.start();
        // end::wiring[]
        return URI.create("ws://localhost:" + connector.getLocalPort() + "/");
    }

    /** For the server kit's own tests: the connector, e.g. to stop it accepting for a while. */
    ServerConnector connector() {
        return connector;
    }

    /** The address of the live page, e.g. {@code http://localhost:8080/}; after {@link #start}. */
    public URI page() {
        return URI.create("http://localhost:" + connector.getLocalPort() + "/");
    }

    // tag::page[]
    /** The live page's files, one copy for every lesson, from this module's resources. */
    private Handler livePage() {
        // Found next to this class, in its folder or its jar; Jetty mounts a jar for as long as the server runs.
        URL page = Objects.requireNonNull(LessonServer.class.getResource("/workbook/page/"), "the live page's files");
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(page));
        files.setWelcomeFiles("index.html");
        // Answer GET / with index.html itself rather than a redirect to /index.html.
        files.setWelcomeMode(WelcomeMode.SERVE);
        files.setDirAllowed(false);
        return files;
    }
    // end::page[]

    /** Closes every open session with 1001 and stops listening. */
    public void stop() throws Exception {
        if (server != null) {
            closeSessions();
            server.stop();
            server = null;
        }
    }

    /**
     * Closes every open session with 1001 (going away), and waits until each close handshake is
     * over (the client answered, or dropped), or {@link #STOP_TIMEOUT}. Only then does the server
     * stop: a connection closed while the client's answer is on its way is reset, and the reset
     * can reach the client before the 1001 does (it then sees 1006). Jetty's graceful stop (a stop
     * timeout) would send the same 1001s, but it also waits for every other connection to end,
     * and ends an idle one, such as a browser's keep-alive connection for the page, only by an
     * idle timeout: about 2 to 4 s on a busy machine, so stop() timed out. Here the other
     * connections simply close with the server.
     */
    private void closeSessions() throws InterruptedException {
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (Session session : upgrades.getServerWebSocketContainer().getOpenSessions()) {
            CompletableFuture<Void> ended = ending.computeIfAbsent(session, key -> new CompletableFuture<>());
            session.close(StatusCode.SHUTDOWN, "Server stopping", Callback.NOOP);
            ends.add(ended);
        }
        // One that ended before it was in the map was never told: it is over.
        ending.forEach((session, ended) -> {
            if (!upgrades.getServerWebSocketContainer().getOpenSessions().contains(session)) {
                ended.complete(null);
            }
        });
        try {
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // A client that reads nothing never answers: its connection is dropped with the rest.
        } finally {
            ending.clear();
        }
    }

    /** Completes, for stop(), the end of each session that stop() is closing. */
    private final class Endings implements WebSocketSessionListener {
        @Override
        public void onWebSocketSessionClosed(Session session) {
            CompletableFuture<Void> ended = ending.get(session);
            if (ended != null) {
                ended.complete(null);
            }
        }
    }

    /**
     * Runs {@code server} until the JVM is asked to quit (Ctrl-C): on the port given as the first
     * argument (8080 by default) of the host given as the second ({@link #LOOPBACK} by default).
     * What each lesson's {@code main} does. A port already taken ends the JVM with one line.
     */
    protected static void run(LessonServer server, String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String host = args.length > 1 ? args[1] : LOOPBACK;
        URI uri;
        try {
            uri = server.start(host, port);
        } catch (IOException e) {
            server.stop();
            System.err.println("Cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + ". Is another server running there? Stop it, or choose another port (--port P).");
            System.exit(1);
            return;
        }
        // Ctrl-C runs shutdown hooks: stop politely so that clients see 1001, not 1006.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("The server did not stop cleanly: " + e);
            }
        }));
        Server jetty = server.server;
        System.out.println("Live page: " + server.page() + "  WebSocket: " + uri + "  (Ctrl-C stops)");
        jetty.join();
    }
}
