package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketSessionListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import workbook.server.Failures;
import workbook.server.LessonServer;
import workbook.server.VirtualClock;

/**
 * Gives each test a fresh lesson server on a free port (port 0), whose buffers are spoiled the
 * moment Jetty takes them back ({@link SpoilingBufferPool}) and whose connections have small send
 * buffers, and connects test clients to it; after
 * the test it closes the clients and stops the server. An exception from the learner's code fails
 * the test with the learner's file and line and the TODO to work on. Use it as a field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final LessonServerExtension<ReplyServer> lesson = new LessonServerExtension<>(ReplyServer::new);
 * }</pre>
 */
public final class LessonServerExtension<S extends LessonServer>
        implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    private static final int CLIENT_MESSAGE_LIMIT = 16 * 1024 * 1024;

    /**
     * The kernel's send buffer for each connection of a test server: small, so that replies to a
     * {@link SlowClient} queue in the server after a few KiB, on any machine (loopback otherwise
     * takes megabytes before a send has to wait).
     */
    private static final int SEND_BUFFER = 8 * 1024;

    /**
     * One Jetty client for every test of the JVM: its threads and buffers are set up once, which
     * keeps a test, and watch mode's verdict, quick. Each test still closes its own connections.
     */
    private static WebSocketClient jetty;

    private final Supplier<S> factory;
    /** Tests may connect clients from threads of their own. */
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();
    /** What the server's endpoints passed to Failures.log during the test. */
    private final List<Throwable> serverFailures = new CopyOnWriteArrayList<>();
    /** The lesson's code, as opposed to its tests: set before each test. */
    private LearnerCode learnerCode;
    private final SpoilingBufferPool buffers = new SpoilingBufferPool();
    /** Whether the server may push now from threads of its own (timers, events), not only in answer to clients. */
    private Predicate<? super S> mayPushOnItsOwn = server -> false;
    /**
     * Each connection the servers have open or had, by the client's port (all are on loopback):
     * completed once the endpoint's @OnWebSocketClose has returned. A new connection on a port
     * used before replaces the old entry.
     */
    private final Map<Integer, CompletableFuture<Void>> closedOnServer = new ConcurrentHashMap<>();
    private final WebSocketSessionListener sessions = new WebSocketSessionListener() {
        /** Each open session's future, kept from its open: a closed session may no longer know its address. */
        private final Map<Session, CompletableFuture<Void>> open = new ConcurrentHashMap<>();

        @Override
        public void onWebSocketSessionOpened(Session session) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            open.put(session, closed);
            closedOnServer.put(((InetSocketAddress) session.getRemoteSocketAddress()).getPort(), closed);
        }

        @Override
        public void onWebSocketSessionClosed(Session session) {
            CompletableFuture<Void> closed = open.remove(session);
            if (closed != null) {
                closed.complete(null);
            }
        }
    };
    /** The time the server's schedulers go by, if the test moves it; null for the machine's. */
    private VirtualClock clock;
    private S server;
    private URI uri;
    /** More instances of the lesson's server, for a lesson that scales out, each with its address. */
    private final Map<LessonServer, URI> instances = new ConcurrentHashMap<>();

    public LessonServerExtension(Supplier<S> factory) {
        this.factory = factory;
    }

    /**
     * For a server that also pushes on its own (events from elsewhere): a silence then proves
     * nothing, and a wait for a message takes its whole time.
     */
    public LessonServerExtension<S> pushingOnItsOwn() {
        return pushingOnItsOwn(server -> true);
    }

    /**
     * For a server that also pushes on its own while {@code mayPushNow} holds (a timer is
     * scheduled, say): while it does, a silence proves nothing, and a wait for a message takes its
     * whole time; once it does not, the server is as settled as one that only answers clients.
     */
    public LessonServerExtension<S> pushingOnItsOwn(Predicate<? super S> mayPushNow) {
        mayPushOnItsOwn = mayPushNow;
        return this;
    }

    /**
     * Whether the server is done with all that the test's clients sent and has sent all it means
     * to in answer, so that a message not here by now will not come. Two rounds of pings to every
     * client: the first proves that the server has handled every message sent before it (a server
     * handles a connection's frames in order, and answers a ping after what came before it); the
     * second that what it sent to any client meanwhile (a broadcast, say) is ahead of the pong.
     * What the test's own thread did through the server (a broadcast, say) is done before too.
     *
     * @return false when unknowable: the server may push on its own, or does not answer pings
     */
    /**
     * Puts the server's timers on a clock that the test moves ({@link #advance}): none fires on
     * its own, so the server pushes only in answer to clients or when the test says, and a silence
     * proves what it proves for any server that only answers.
     */
    public LessonServerExtension<S> onVirtualTime() {
        clock = new VirtualClock();
        return this;
    }

    /**
     * Moves the server's virtual time on by {@code by}: every timer due by then runs, in order, on
     * the server's scheduler, and this returns once they have run (their sends under way).
     */
    public void advance(Duration by, Todo todo) {
        if (clock == null) {
            throw new IllegalStateException("advance() needs onVirtualTime()");
        }
        try {
            clock.advance(by, TestClient.WAIT);
        } catch (TimeoutException e) {
            throw new AssertionError("A timer of the server was still running " + TestClient.WAIT.toSeconds()
                    + " s after it fired: a timer must not wait for anything (a send, a lock another thread holds)."
                    + "\n  -> " + todo);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's virtual clock, for a test that reads the time as the server sees it. */
    public VirtualClock clock() {
        return clock;
    }

    /** What a test client asks of its server: see {@link TestClient.ServerSide}. */
    private final TestClient.ServerSide serverSide = new TestClient.ServerSide() {
        @Override
        public boolean settled() {
            return LessonServerExtension.this.settled();
        }

        @Override
        public String settledMeans() {
            return LessonServerExtension.this.settledMeans();
        }

        @Override
        public boolean threw() {
            return serverFailures.stream().anyMatch(learnerCode::threw);
        }

        @Override
        public CompletableFuture<Void> closed(int clientPort) {
            return closedOnServer.computeIfAbsent(clientPort, port -> new CompletableFuture<>());
        }
    };

    /** What {@link #settled()} proves, in the learner's words. */
    private String settledMeans() {
        return "the server has handled all the test sent it" + (clock == null ? "" : ", and every timer due by the test's clock has run");
    }

    boolean settled() {
        if (mayPushOnItsOwn.test(server)) {
            return false;
        }
        try {
            for (int round = 0; round < 2; round++) {
                CompletableFuture.allOf(clients.stream().filter(TestClient.class::isInstance)
                        .map(client -> ((TestClient) client).ping()).toArray(CompletableFuture[]::new))
                        .get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        learnerCode = new LearnerCode(context.getRequiredTestClass());
        Failures.observe(serverFailures::add);
        // The learner's code runs here too (a server's constructor, start, configure): explained as in a test.
        try {
            server = clock == null ? factory.get() : clock.during(factory);
            server.useTestNetwork(buffers, SEND_BUFFER);
            server.listenToSessions(sessions);
            uri = server.start(0);
        } catch (Exception | LinkageError e) {
            throw explained(context, e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (context.getExecutionException().filter(failure -> !(failure instanceof TestAbortedException)).isPresent()) {
            reportTranscripts(context);
        }
        // Stop the server whatever else fails, or its threads outlive the test.
        try {
            for (AutoCloseable client : clients) {
                if (client instanceof TestClient test) {
                    test.end();
                } else {
                    client.close();
                }
            }
        } finally {
            try {
                for (LessonServer instance : instances.keySet()) {
                    instance.stop();
                }
                if (server != null) {
                    server.stop();
                }
            } catch (Exception e) {
                throw explained(context, e);
            } finally {
                Failures.observe(null);
            }
        }
    }

    /** The key of the report entry that holds, for a failed test, what its clients received. */
    public static final String WIRE = "wire";

    /**
     * For a failed test: what each of its clients received last, with times, as a report entry
     * that the workbook shows below the verdict. A verdict says what was expected; this shows what
     * came instead, and when.
     */
    private void reportTranscripts(ExtensionContext context) {
        List<String> transcripts = new ArrayList<>();
        for (AutoCloseable client : clients) {
            if (client instanceof TestClient test) {
                transcripts.add(test.transcript("#" + (transcripts.size() + 1)));
            }
        }
        if (!transcripts.isEmpty()) {
            context.publishReportEntry(WIRE, String.join("\n", transcripts));
        }
    }

    /**
     * Stops the server and waits until every buffer it took is given back, as all are once its
     * connections closed politely, unless an endpoint kept one: the payload of onBinary is lent
     * until its callback completes, and one never completed leaks. (A connection that drops may
     * leave Jetty holding a buffer a while longer: close the clients first.)
     */
    public void stopAndAwaitBuffersBack(Todo todo) throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.stop();
        try {
            Eventually.await().until(() -> buffers.lentOut() == 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("After the server stopped, " + buffers.lentOut() + " of the buffers Jetty lent"
                    + " were never given back. The payload of onBinary(session, payload, callback) is lent until the"
                    + " callback completes: complete it once, on every path, or its memory is never reused.\n  -> " + todo);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TestAbortedException) {
            throw thrown;
        }
        throw explained(context, thrown);
    }

    /** The failure as the learner should read it: with where their code threw, on the test's thread or the server's. */
    private AssertionError explained(ExtensionContext context, Throwable thrown) {
        if (clients.stream().anyMatch(client -> client instanceof TestClient test && test.closedByServerError())) {
            // Jetty sends the 1011 close before it tells the endpoint why: wait for that, briefly. An
            // endpoint without @OnWebSocketError is never told; the failure then goes as it is.
            try {
                Eventually.await().until(() -> serverFailures.stream().anyMatch(learnerCode::threw));
            } catch (ConditionTimeoutException e) {
                // Nothing to add.
            }
        }
        return learnerCode.withServerFailures(thrown instanceof AssertionError failed ? failed
                : learnerCode.explain(thrown, context), serverFailures);
    }

    /** The lesson server under test, e.g. to push from it or to stop it. */
    public S server() {
        return server;
    }

    /**
     * For a lesson that runs several instances of its server: starts one more, made by
     * {@code factory}, on a free port with the same test network, and stops it after the test
     * (before the first). Its clients come from {@link #connect(LessonServer, String)}.
     */
    public <T extends S> T startAnother(Supplier<T> factory) {
        try {
            T instance = clock == null ? factory.get() : clock.during(factory);
            instance.useTestNetwork(buffers, SEND_BUFFER);
            instance.listenToSessions(sessions);
            instances.put(instance, instance.start(0));
            return instance;
        } catch (Exception e) {
            throw new IllegalStateException("Another instance of the server did not start", e);
        }
    }

    /** Connects a new client to {@code path} of {@code instance}: the first server, or one from {@link #startAnother}. */
    public TestClient connect(LessonServer instance, String path) {
        URI target = instance == server ? uri : instances.get(instance);
        TestClient client = TestClient.connect(startedClient(), target.resolve(path), serverSide);
        clients.add(client);
        return client;
    }

    /** Connects a new client to the root path, where the lesson's endpoint listens. */
    public TestClient connect() {
        return connect("/");
    }

    /** Connects a new client to {@code path} of the lesson server, e.g. {@code "/json"}. */
    public TestClient connect(String path) {
        TestClient client = TestClient.connect(startedClient(), uri.resolve(path), serverSide);
        clients.add(client);
        return client;
    }

    /**
     * Waits until the server is done with {@code client}, which it closes on its own (a heartbeat
     * that drops it, say): its {@code @OnWebSocketClose} has returned, so what it forgets of the
     * client is forgotten, and a test asserts it at once.
     *
     * @param expected why the server closes it, in the learner's words
     */
    public void awaitClosedOnServer(SlowClient client, String expected, Todo todo) {
        try {
            serverSide.closed(client.port()).get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            fail("Expected %s, but the server had not closed %s within %d s.%n  -> %s", expected, client, TestClient.WAIT.toSeconds(), todo);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + expected, e);
        }
    }

    /** Connects a client that reads nothing until the test asks it for a message: see {@link SlowClient}. */
    public SlowClient connectSlow() {
        return connectPlain(uri, "the slow client", true);
    }

    /** A client that reads nothing until asked, on {@code path} of the lesson server, e.g. {@code "/chat"}. */
    public SlowClient connectSlow(String path) {
        return connectPlain(uri.resolve(path), "the slow client on " + path, true);
    }

    /**
     * A client on a plain socket, for a message the server may refuse: its reads never wait on
     * its writes, so it reads the close frame that says why (see {@link SlowClient#sendRefusable}).
     */
    public SlowClient connectPlain() {
        return connectPlainAt(uri.getPath());
    }

    /** A client on a plain socket, as {@link #connectPlain()}, to {@code path}, e.g. {@code "/?token=..."}. */
    public SlowClient connectPlainAt(String path) {
        URI target = uri.resolve(path);
        return connectPlain(target, "the client on " + target.getPath(), false);
    }

    private SlowClient connectPlain(URI target, String name, boolean slow) {
        SlowClient client = SlowClient.connect(target, name, slow);
        clients.add(client);
        return client;
    }
}
