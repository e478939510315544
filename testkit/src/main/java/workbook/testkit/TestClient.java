package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketPong;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A WebSocket client for tests: it collects every message the server pushes, in order, and how the
 * connection closed. Each method that waits is bounded by {@link #WAIT} and, when nothing comes,
 * fails with the learner-worded expectation it was given. A wait for a message ends sooner when
 * the test kit knows that none can come (see {@link LessonServerExtension#settled()}): a failing
 * check takes milliseconds, and a slow machine still has the whole wait to pass.
 */
public final class TestClient implements AutoCloseable {

    /**
     * How long to wait for what a correct server does: loopback delivers in milliseconds, but a
     * check's JVM starts cold on a machine that may be busy. Only a failing test waits this long, and
     * only when the test kit cannot tell sooner that nothing will come. Raise it with
     * {@code -Dworkbook.wait.seconds=20}.
     */
    public static final Duration WAIT = Duration.ofSeconds(Long.getLong("workbook.wait.seconds", 10));
    /** How often a read that waits looks whether the server's code has thrown meanwhile. */
    private static final Duration THREW_CHECK = Duration.ofMillis(20);

    /** A binary message, kept apart from text so that tests can tell the frame types apart. */
    private record Binary(byte[] bytes) {
    }

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    /** How many messages have arrived so far, read or not. */
    private final AtomicInteger received = new AtomicInteger();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    /** The pongs awaited, oldest first: a server answers one connection's pings in order. */
    private final Queue<CompletableFuture<Void>> pongs = new ConcurrentLinkedQueue<>();
    /** Completes once the close is in line with the messages: nothing comes after it. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final String name;
    /** The last frames received, for a failed test's report. */
    private final Transcript transcript = new Transcript();
    /** What a test client asks of the test's server. */
    interface ServerSide {
        /** Whether nothing more can come, when nothing has: see {@link LessonServerExtension#settled()}. */
        boolean settled();

        /** What {@link #settled()} proves, in the learner's words. */
        String settledMeans();

        /** Whether the lesson's own code has thrown on the server during the test (see Failures). */
        boolean threw();

        /** Completes once the server's @OnWebSocketClose has returned for the client on {@code clientPort}. */
        CompletableFuture<Void> closed(int clientPort);
    }

    private final ServerSide server;
    /** This client's port: the server knows the connection by it. */
    private int port;
    private Predicate<String> skipped = text -> false;
    private Session session;

    private TestClient(String name, ServerSide server) {
        this.name = name;
        this.server = server;
    }

    static TestClient connect(WebSocketClient jetty, URI uri, ServerSide server) {
        TestClient client = new TestClient("the client on " + uri.getPath(), server);
        try {
            client.session = jetty.connect(client.new Listener(), uri).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            client.port = ((InetSocketAddress) client.session.getLocalSocketAddress()).getPort();
        } catch (ExecutionException | IOException e) {
            fail("Could not open a WebSocket to %s: %s%n  -> is an endpoint mapped to that path?", uri, e instanceof ExecutionException ? e.getCause() : e);
        } catch (TimeoutException | InterruptedException e) {
            fail("Could not open a WebSocket to %s within %d s.", uri, WAIT.toSeconds());
        }
        // The client's connect completes when the upgrade response arrives, maybe before the server
        // has opened its side. A pong proves it has: the server answers pings once its session is
        // open and its @OnWebSocketOpen has run. Then the test starts from a settled connection.
        try {
            client.ping().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            fail("The server did not answer %s, not even a ping, within %d s of connecting. Does the"
                    + " @OnWebSocketOpen method return? Jetty handles nothing else on a connection until it does.",
                    client.name, WAIT.toSeconds());
        }
        return client;
    }

    /**
     * Sends a ping; the pong completes the future. The server reads a connection's frames in order
     * and answers a ping only once it has handled every message before it, and the pong goes out
     * after whatever the server sent meanwhile: a pong proves that the server is done with all this
     * client sent before the ping. Once the connection has ended, the close is in line with the
     * messages and no pong will come: that completes it too, whether the ping went or not (a ping
     * sent as the connection closes may neither go nor fail: a read then waited out its 10 s).
     */
    CompletableFuture<Void> ping() {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        pongs.add(pong);
        ended.thenRun(() -> pong.complete(null));
        session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        return pong;
    }

    /** What this client received last, as a failed test's report shows it, under {@code who}. */
    String transcript(String who) {
        return transcript.render(who + " " + name.substring("the ".length()));
    }

    /**
     * Waits until the server has handled every message this client sent so far, and has queued
     * what it sends in answer on this connection: the pong of a ping proves it (see {@link #ping}).
     * A fence for a test that must know the server is done, instead of waiting for a silence.
     */
    public void awaitHandled() {
        await(ping(), "the server to answer a ping of " + name + ", which it does once it has handled all this client sent before");
    }

    /** How many messages have arrived so far, read or not: for a test that must not run too far ahead. */
    public int received() {
        return received.get();
    }

    /** Makes the read methods pass over text messages equal to {@code text}, e.g. a welcome. */
    public TestClient skipping(String text) {
        skipped = skipped.or(text::equals);
        return this;
    }

    /** Sends a text message and waits until it is on its way. */
    public void send(String text) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        await(sent, "sending \"" + text + "\" from the test client");
    }

    /** Sends a binary message and waits until it is on its way. */
    public void send(byte[] bytes) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        await(sent, "sending " + bytes.length + " bytes from the test client");
    }

    /**
     * Reads past any message up to the server's close of this connection, and tells how it closed.
     * As {@link #nextText}, it ends as soon as the test kit knows no close can come.
     *
     * @param expected the close that should come, in the learner's words
     * @param todo where the learner makes the server close
     */
    public Close nextClose(String expected, Todo todo) {
        return (Close) take(message -> !(message instanceof Close), expected, todo,
                "%s is still open, and %s", "%s was not closed");
    }

    /**
     * The next text message the server pushed.
     *
     * @param expected what should arrive, in the learner's words, e.g. "a welcome text"
     * @param todo where the learner makes it arrive
     */
    public String nextText(String expected, Todo todo) {
        Object message = next(expected, todo);
        if (message instanceof Binary) {
            fail("Expected %s, but a binary message arrived.%n  -> %s", expected, todo);
        }
        return (String) message;
    }

    /** The next binary message the server pushed, as its bytes. */
    public byte[] nextBinary(String expected, Todo todo) {
        Object message = next(expected, todo);
        if (message instanceof String text) {
            fail("Expected %s as a binary message, but a text message arrived: \"%s\".%n  -> %s", expected, text, todo);
        }
        return ((Binary) message).bytes();
    }

    private Object next(String expected, Todo todo) {
        Object message = take(next -> next instanceof String text && skipped.test(text), expected, todo,
                "nothing came to %s, and nothing will: %s", "%s received nothing");
        if (message instanceof Close close) {
            fail("Expected %s, but the server closed the connection of %s: %s%n  -> %s", expected, name, close, todo);
        }
        return message;
    }

    /**
     * The next message that {@code skip} does not pass over. It ends as soon as the test kit knows
     * that none can come, with {@code none} (of this client's name) as what happened, or after
     * {@link #WAIT}, with {@code late}. A close stays in line: a closed connection stays closed.
     */
    private Object take(Predicate<Object> skip, String expected, Todo todo, String none, String late) {
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            Object message = poll(skip, System.nanoTime());
            if (message == null && server.settled()) {
                // Whatever the server sent before it settled is here now: take it, or nothing comes.
                message = poll(skip, System.nanoTime());
                if (message == null) {
                    fail("Expected %s, but %s.%n  -> %s", expected, String.format(none, name, server.settledMeans()), todo);
                }
            }
            // A server whose own code threw may never send what the test waits for: the wait ends
            // there, and the failure says where it threw (the same words whichever read sees it first).
            while (message == null && System.nanoTime() < deadline) {
                if (server.threw()) {
                    fail("Your code threw on the server while %s waited for a message.%n  -> %s", name, todo);
                }
                message = poll(skip, Math.min(deadline, System.nanoTime() + THREW_CHECK.toNanos()));
            }
            if (message == null) {
                fail("Expected %s, but %s within %d s.%n  -> %s", expected, String.format(late, name), WAIT.toSeconds(), todo);
            }
            if (message instanceof Close) {
                messages.add(message);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + expected, e);
        }
    }

    /** The next message {@code skip} does not pass over, if one comes by {@code deadline} (System.nanoTime). */
    private Object poll(Predicate<Object> skip, long deadline) throws InterruptedException {
        Object message;
        do {
            message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } while (message != null && skip.test(message));
        return message;
    }

    /**
     * Asserts that nothing more has come, and nothing will, from what the server has done so far:
     * the test kit's fences prove it (see {@link LessonServerExtension#settled()}), so a right
     * server passes at once and a wrong one fails at once. For a server whose timers are on the
     * test's virtual clock, or that only answers clients.
     *
     * @param when when nothing should come, in the learner's words, e.g. "before the first interval"
     */
    public void assertNothingMore(String when, Todo todo) {
        if (!server.settled()) {
            throw new IllegalStateException("Nothing can be proven not to come from a server that pushes on its own");
        }
        messages.stream().filter(message -> !(message instanceof String text && skipped.test(text))).findFirst()
                .ifPresent(message -> fail("Expected nothing more to come to %s %s, but %s came.%n  -> %s", name, when,
                        message instanceof String text ? "\"" + text + "\""
                                : message instanceof Binary binary ? binary.bytes().length + " bytes" : message, todo));
    }

    /** Waits until the server closes this connection, and tells how. */
    public Close awaitClose(String expected) {
        return await(closed, expected);
    }

    /** Whether the server has closed this connection with 1011: an endpoint threw. */
    boolean closedByServerError() {
        return closed.isDone() && !closed.isCompletedExceptionally() && closed.join().code() == 1011;
    }

    /** Closes this connection politely (code 1000) and waits for the server's answering close frame. */
    @Override
    /**
     * Closes politely, and returns once the server is done with this client: its
     * {@code @OnWebSocketClose} has returned. What the server forgets of a client that left is
     * then forgotten, and a test can assert it at once.
     */
    public void close() {
        end();
        awaitClosedOnServer();
    }

    /** Closes politely, without waiting for the server's @OnWebSocketClose: for the end of a test. */
    void end() {
        if (!closed.isDone()) {
            session.close(StatusCode.NORMAL, "test done", Callback.NOOP);
            await(closed.exceptionally(failure -> null), "the server to answer the close frame of " + name);
        }
    }

    /**
     * Closes the TCP connection without a close frame, as a client that crashed or was killed,
     * and returns once the server has noticed and its {@code @OnWebSocketClose} has returned. The
     * server notices at once; a client whose network died silently would be noticed only when a
     * write fails or the idle timeout passes.
     */
    public void vanish() {
        session.disconnect();
        awaitClosedOnServer();
    }

    private void awaitClosedOnServer() {
        await(server.closed(port),
                "the server's @OnWebSocketClose to return for " + name + ", once it had closed; does it wait for something?");
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Expected " + what + " within " + WAIT.toSeconds() + " s, but it did not happen.");
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while " + what, e);
        }
    }

    @WebSocket
    public class Listener {
        @OnWebSocketMessage
        public void onText(String text) {
            received.incrementAndGet();
            transcript.text(text);
            messages.add(text);
        }

        @OnWebSocketMessage
        public void onBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            received.incrementAndGet();
            transcript.binary(bytes.length);
            messages.add(new Binary(bytes));
            // Jetty may reuse the buffer once told it is consumed.
            callback.succeed();
        }

        @OnWebSocketPong
        public void onPong(ByteBuffer payload) {
            CompletableFuture<Void> pong = pongs.poll();
            if (pong != null) {
                pong.complete(null);
            }
        }

        @OnWebSocketClose
        public void onClose(int code, String reason) {
            Close close = new Close(code, reason);
            transcript.close(code, reason);
            // In line with the messages before anyone is told, so that a read from now on sees it.
            messages.add(close);
            closed.complete(close);
            // No pong comes on a closed connection, and nothing else: nothing more to wait for.
            ended.complete(null);
        }

        // Without this handler Jetty logs the error as unhandled; the test sees it in awaitClose.
        @OnWebSocketError
        public void onError(Throwable cause) {
            // Jetty calls onClose next (1006 for a dropped connection): the pongs complete there.
            closed.completeExceptionally(cause);
        }
    }
}
