package workbook.server;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
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

    public Scheduler(String threadName) {
        super(1, task -> new Thread(task, threadName));
        // A cancelled timer leaves the queue at once instead of at its next due time.
        setRemoveOnCancelPolicy(true);
    }

    /** How many timers are scheduled and neither cancelled nor ended, the running one included. */
    public int liveTimers() {
        timers.removeIf(Future::isDone);
        return timers.size();
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
        timers.add(task);
        return task;
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> callable, RunnableScheduledFuture<V> task) {
        timers.add(task);
        return task;
    }
}
