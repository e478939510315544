package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
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
