package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A Session made in the test, for calls to the server's methods without a network: its sends
 * complete when and how the test says, and it can stop a thread inside the server where it looks
 * at the session. What happens only now and then on a real connection happens on every run. It
 * records what the server sent and how it closed, and counts how often the server looked at it
 * (hashCode and equals: what a set or a map does with a member).
 *
 * <pre>{@code
 * FakeSession laggard = new FakeSession("a client that reads nothing").sends(Sends.HELD);
 * server.subscribe(laggard.session());
 * server.publish("hello"); // its send stays in flight...
 * laggard.completeNext();  // ...until the test says it is written
 * }</pre>
 */
public final class FakeSession {

    /** What sendText does with the send's callback. */
    public enum Sends {
        /** Succeeds it inside sendText, as Jetty does when it writes the message at once. */
        AT_ONCE,
        /** Fails it inside sendText, as Jetty does with its queue full. */
        REFUSED_AT_ONCE,
        /** Keeps it until the test calls {@link #completeNext()}: a client that reads nothing. */
        HELD
    }

    private final String name;
    private final Session session;
    private volatile Sends sends = Sends.AT_ONCE;
    private Consumer<String> onSend = text -> { };
    private Runnable onCompleted = () -> { };
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final Queue<Callback> inFlight = new ConcurrentLinkedQueue<>();
    private volatile Close close;
    private volatile int sentAtClose;
    private final AtomicInteger looks = new AtomicInteger();
    /** Set by {@link #holdDuring}: the next thread to ask for the hashCode waits on it. */
    private volatile CountDownLatch hold;
    private volatile CountDownLatch holding;

    /** @param name what the test calls it, in its failures and in the server's logs */
    public FakeSession(String name) {
        this.name = name;
        this.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (self, method, args) -> switch (method.getName()) {
                    case "sendText" -> {
                        send((String) args[0], (Callback) args[1]);
                        yield null;
                    }
                    case "close" -> {
                        closed(args == null ? new Close(1000, null) : new Close((Integer) args[0], (String) args[1]));
                        if (args != null) {
                            ((Callback) args[2]).succeed();
                        }
                        yield null;
                    }
                    case "isOpen" -> close == null;
                    case "getRemoteSocketAddress" -> InetSocketAddress.createUnresolved("test-client", 4242);
                    case "hashCode" -> {
                        looks.incrementAndGet();
                        awaitRelease();
                        yield System.identityHashCode(self);
                    }
                    case "equals" -> {
                        looks.incrementAndGet();
                        yield self == args[0];
                    }
                    case "toString" -> name;
                    default -> throw new UnsupportedOperationException("Session." + method.getName() + " in this test");
                });
    }

    /**
     * {@code count} sessions for the members of a set that the server walks, sending to each: at
     * the walk's first send, to whichever member it is, {@code call} runs on another thread (see
     * {@link Fence#meanwhile}), so that the walk goes on through a set changed under it, every run.
     *
     * @param call what changes the set, in the test's words ({@code what}), e.g. a join
     */
    public static Walk meetingAWalk(int count, String what, Runnable call) {
        AtomicReference<CompletableFuture<Void>> meanwhile = new AtomicReference<>();
        List<FakeSession> members = IntStream.rangeClosed(1, count).mapToObj(i -> new FakeSession("member " + i).onSend(text -> {
            if (meanwhile.get() == null) {
                meanwhile.set(Fence.meanwhile(what, call));
            }
        })).toList();
        return new Walk(members, what, meanwhile);
    }

    /** The sessions of {@link #meetingAWalk}, and the call it ran during the walk. */
    public record Walk(List<FakeSession> members, String what, AtomicReference<CompletableFuture<Void>> meanwhile) {

        /** Waits for the call made during the walk to end, and fails as it failed, or if there was no walk. */
        public void rethrowFailure() throws Throwable {
            if (meanwhile.get() == null) {
                fail("Expected the server to send to the %d members, and %s meanwhile, but it sent to none.", members.size(), what);
            }
            Background.rethrowFailure(meanwhile.get());
        }
    }

    /** The Session to give the server. */
    public Session session() {
        return session;
    }

    /** What each send does from now on; {@link Sends#AT_ONCE} until the test says otherwise. */
    public FakeSession sends(Sends sends) {
        this.sends = sends;
        return this;
    }

    /** Runs {@code action} with each text as sendText begins, before the send completes: the test acts mid-send. */
    public FakeSession onSend(Consumer<String> action) {
        this.onSend = action;
        return this;
    }

    /** Runs {@code action} each time a send's callback has run, inside sendText or {@link #completeNext()}. */
    public FakeSession onCompleted(Runnable action) {
        this.onCompleted = action;
        return this;
    }

    private void send(String text, Callback callback) {
        sent.add(text);
        onSend.accept(text);
        switch (sends) {
            case HELD -> inFlight.add(callback);
            case AT_ONCE -> complete(callback::succeed);
            case REFUSED_AT_ONCE -> complete(() -> callback.fail(new IllegalStateException("refused by the test's connection")));
        }
    }

    private void complete(Runnable callback) {
        callback.run();
        onCompleted.run();
    }

    /** Completes the oldest held send, as Jetty does once it has written it. */
    public void completeNext() {
        complete(inFlight.remove()::succeed);
    }

    /** How many held sends the test has not completed yet. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Every text the server sent, in order, held or not. */
    public List<String> sent() {
        return Collections.unmodifiableList(sent);
    }

    private void closed(Close close) {
        sentAtClose = sent.size();
        this.close = close;
    }

    /** How the server closed this session, or null while it has not. */
    public Close closedWith() {
        return close;
    }

    /** How many texts the server had sent when it closed this session. */
    public int sentAtClose() {
        return sentAtClose;
    }

    /** How often the server has looked at this session (hashCode, equals) so far. */
    public int looks() {
        return looks.get();
    }

    /**
     * Runs {@code call} on a thread of its own until it asks for this session's hashCode, and holds
     * it there, inside whatever it was doing (a set's add, a compute on a map), until the test lets
     * it go: {@link Held#meanwhile}.
     *
     * @param what the call, in the test's words, e.g. {@code join("kitchen", alice)}
     */
    public Held holdDuring(String what, Runnable call) {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        holding = new CountDownLatch(1);
        hold = release;
        Thread thread = start("test-held", call, failures);
        Fence.until(() -> holding.getCount() == 0 || !thread.isAlive(), stuck(what + " never looked at " + name));
        return new Held(thread, release, failures);
    }

    private void awaitRelease() throws InterruptedException {
        CountDownLatch release = hold;
        if (release != null) {
            hold = null;
            holding.countDown();
            release.await();
        }
    }

    /** A thread stopped inside the server by {@link #holdDuring}, and what the test's threads threw. */
    public record Held(Thread thread, CountDownLatch release, Queue<Throwable> failures) {

        /**
         * Runs {@code call} on a thread of its own until it returns, or waits for a lock that the held
         * thread has; then lets the held thread go on, waits for both to end, and throws what either
         * threw.
         */
        public void meanwhile(String what, Runnable call) {
            Thread other = start("test-meanwhile", call, failures);
            Fence.endedOrWaitingFor(other, thread, stuck(what + " neither returned nor waited for the call in progress"));
            release.countDown();
            Fence.until(() -> !thread.isAlive(), stuck("the held call did not return"));
            Fence.until(() -> !other.isAlive(), stuck(what + " did not return"));
            Throwable failure = failures.poll();
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure instanceof RuntimeException exception) {
                throw exception;
            }
        }
    }

    private static Thread start(String name, Runnable call, Queue<Throwable> failures) {
        Thread thread = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable failure) {
                failures.add(failure);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String stuck(String otherwise) {
        return "The test's two calls into the server got stuck: " + otherwise + " within " + TestClient.WAIT.toSeconds() + " s.";
    }
}
