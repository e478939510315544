package workbook.testkit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import workbook.server.LessonServer;

/**
 * Gives each test a fresh lesson server on a free port (port 0) and connects test clients to it;
 * after the test it closes the clients and stops the server. Use it as a field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final LessonServerExtension<ReplyServer> lesson = new LessonServerExtension<>(ReplyServer::new);
 * }</pre>
 */
public final class LessonServerExtension<S extends LessonServer> implements BeforeEachCallback, AfterEachCallback {

    private static final int CLIENT_MESSAGE_LIMIT = 16 * 1024 * 1024;

    /**
     * One Jetty client for every test of the JVM: its threads and buffers are set up once, which
     * keeps a test, and watch mode's verdict, quick. Each test still closes its own connections.
     */
    private static WebSocketClient jetty;

    private final Supplier<S> factory;
    private final List<TestClient> clients = new ArrayList<>();
    private S server;
    private URI uri;

    public LessonServerExtension(Supplier<S> factory) {
        this.factory = factory;
    }

    private static synchronized WebSocketClient startedClient() {
        if (jetty == null) {
            WebSocketClient client = new WebSocketClient();
            // Test clients take whatever a lesson sends: the limits under test are the server's.
            client.setMaxBinaryMessageSize(CLIENT_MESSAGE_LIMIT);
            client.setMaxTextMessageSize(CLIENT_MESSAGE_LIMIT);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("The tests' WebSocket client did not start", e);
            }
            jetty = client;
        }
        return jetty;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = factory.get();
        uri = server.start(0);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        // Stop the server whatever else fails, or its threads outlive the test.
        try {
            clients.forEach(TestClient::close);
        } finally {
            server.stop();
        }
    }

    /** The lesson server under test, e.g. to push from it or to stop it. */
    public S server() {
        return server;
    }

    /** Connects a new client to the root path, where the lesson's endpoint listens. */
    public TestClient connect() {
        return connect("/");
    }

    /** Connects a new client to {@code path} of the lesson server, e.g. {@code "/json"}. */
    public TestClient connect(String path) {
        TestClient client = TestClient.connect(startedClient(), uri.resolve(path));
        clients.add(client);
        return client;
    }
}
