package workbook.rooms;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import workbook.testkit.TestClient;

/**
 * A Session made in the test, for calls to the server's methods without a network: it counts how
 * often the server looks at it (hashCode and equals, what a set or a map does with a member), and
 * it can stop the thread that next asks for its hashCode, inside a set's add say, until the test
 * lets it go. That is how a test puts two threads in the order a race needs, every run.
 */
final class TestSession {

    private final String name;
    private final Session proxy;
    private final AtomicInteger looks = new AtomicInteger();
    private volatile CountDownLatch held;
    private volatile CountDownLatch inside;

    TestSession(String name) {
        this.name = name;
        this.proxy = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (self, method, args) -> switch (method.getName()) {
                    case "hashCode" -> {
                        looks.incrementAndGet();
                        CountDownLatch hold = held;
                        if (hold != null) {
                            held = null;
                            inside.countDown();
                            hold.await();
                        }
                        yield System.identityHashCode(self);
                    }
                    case "equals" -> {
                        looks.incrementAndGet();
                        yield self == args[0];
                    }
                    case "toString" -> name;
                    case "isOpen" -> true;
                    case "sendText" -> {
                        ((Callback) args[1]).succeed();
                        yield null;
                    }
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
    }

    Session session() {
        return proxy;
    }

    /** How often the server has looked at this session (hashCode, equals) so far. */
    int looks() {
        return looks.get();
    }

    /**
     * Runs {@code call} on a thread of its own until it asks for this session's hashCode, and holds
     * it there, inside whatever it was doing (a set's add, a compute on the map), until the returned
     * thread is {@link Held#release()}d.
     */
    Held holdDuring(String what, Runnable call) {
        FAILURES.clear();
        held = new CountDownLatch(1);
        inside = new CountDownLatch(1);
        CountDownLatch release = held;
        Thread thread = new Thread(failures(call), "test-held");
        thread.setDaemon(true);
        thread.start();
        await(() -> inside.getCount() == 0 || !thread.isAlive(), what + " never looked at " + name);
        return new Held(thread, release);
    }

    /** A thread stopped inside the server, by {@link #holdDuring}. */
    record Held(Thread thread, CountDownLatch release) {

        /**
         * Runs {@code call} on a thread of its own until it returns, or waits for a lock that the
         * held thread has (the server keeping the two apart, as it should); then lets the held thread
         * go on, and waits for both to end.
         */
        void meanwhile(String what, Runnable call) {
            Thread other = new Thread(failures(call), "test-meanwhile");
            other.setDaemon(true);
            other.start();
            await(() -> !other.isAlive() || waitsFor(other, thread), what + " neither returned nor waited for the call in progress");
            release.countDown();
            join(thread, "the held call");
            join(other, what);
            Throwable failure = FAILURES.poll();
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure instanceof RuntimeException exception) {
                throw exception;
            }
        }

        private static boolean waitsFor(Thread waiter, Thread owner) {
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiter.getId());
            return info != null && info.getLockOwnerId() == owner.getId();
        }

        private static void join(Thread thread, String what) {
            await(() -> !thread.isAlive(), what + " did not return");
        }
    }

    /** What the calls on the test's threads threw: the test throws it on its own thread. */
    private static final java.util.Queue<Throwable> FAILURES = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static Runnable failures(Runnable call) {
        return () -> {
            try {
                call.run();
            } catch (Throwable failure) {
                FAILURES.add(failure);
            }
        };
    }

    /** Polls {@code done}, for up to the test kit's wait: a state of threads has no event to wait for. */
    private static void await(java.util.function.BooleanSupplier done, String otherwise) {
        long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The test's two calls into the server got stuck: " + otherwise
                        + " within " + TestClient.WAIT.toSeconds() + " s.");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
