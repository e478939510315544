package workbook.server;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A scheduler with one thread, for all the timers of a server, that can tell how many of its
 * timers are live: scheduled and neither cancelled nor ended. That count is how the tests of
 * lesson 03 prove that a timer did not outlive its connection.
 */
public final class Scheduler extends ScheduledThreadPoolExecutor {

    private final Set<Future<?>> timers = ConcurrentHashMap.newKeySet();
    /** How many timers the set held after it last dropped those that have ended. */
    private int keptAfterPruning;

    public Scheduler(String threadName) {
        super(1, task -> new Thread(task, threadName));
        // A cancelled timer leaves the queue at once instead of at its next due time.
        setRemoveOnCancelPolicy(true);
    }

    /**
     * A timer that throws is cancelled by the executor without a word: say it, so that the learner
     * sees why their clock stopped (and the tests, where it threw).
     */
    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        if (task instanceof Future<?> timer && timer.isDone() && !timer.isCancelled()) {
            try {
                timer.get();
            } catch (ExecutionException e) {
                Failures.report("A timer", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many timers the set holds now, ended ones included: bounded, for a test. */
    int heldTimers() {
        return timers.size();
    }

    /** How many timers are scheduled and neither cancelled nor ended, the running one included. */
    public int liveTimers() {
        timers.removeIf(Future::isDone);
        return timers.size();
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
        return kept(task);
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> callable, RunnableScheduledFuture<V> task) {
        return kept(task);
    }

    /**
     * Adds a new timer to the set, first dropping the ended ones whenever the set has doubled since
     * that was last done: the set holds at most about twice the live timers, however many come and go.
     */
    private synchronized <V> RunnableScheduledFuture<V> kept(RunnableScheduledFuture<V> task) {
        if (timers.size() >= Math.max(16, 2 * keptAfterPruning)) {
            timers.removeIf(Future::isDone);
            keptAfterPruning = timers.size();
        }
        timers.add(task);
        return task;
    }
}
