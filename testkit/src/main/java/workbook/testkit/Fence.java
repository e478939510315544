package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * For a test that puts two threads in the order a race needs, every run: it waits until a thread
 * has got as far as the test wants. A state of threads has no event to wait for, so this polls, up
 * to {@link TestClient#WAIT}.
 */
public final class Fence {

    private Fence() {
    }

    /**
     * Returns once {@code thread} has ended, or waits for a lock that {@code owner} holds (the
     * server keeping the two apart, as it should); else fails with {@code otherwise}.
     */
    public static void endedOrWaitingFor(Thread thread, Thread owner, String otherwise) {
        until(() -> !thread.isAlive() || lockOwner(thread) == owner.getId(), otherwise);
    }

    /**
     * Runs {@code call} on a thread of its own, from inside the server's code on this thread (in a
     * {@link FakeSession#onSend}, say), and returns once the call has ended or waits for a lock this
     * thread holds: the two meet in the order a race needs, every run, not when threads happen to.
     *
     * @param what the call, in the test's words, e.g. {@code join("lobby", newcomer)}
     * @return the call's end, failed with what it threw (see {@link Background#rethrowFailure})
     */
    public static CompletableFuture<Void> meanwhile(String what, Runnable call) {
        Thread owner = Thread.currentThread();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = Background.start("test-meanwhile", call::run, done);
        endedOrWaitingFor(thread, owner, "The test's two calls into the server got stuck: " + what
                + " neither returned nor waited for the call in progress within " + TestClient.WAIT.toSeconds() + " s.");
        return done;
    }

    /** Returns once {@code done}; else fails with {@code otherwise}. */
    static void until(BooleanSupplier done, String otherwise) {
        long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(otherwise);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static long lockOwner(Thread thread) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId());
        return info == null ? -1 : info.getLockOwnerId();
    }
}
