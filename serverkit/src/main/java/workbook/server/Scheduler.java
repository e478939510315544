package workbook.server;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler with one thread, for all the timers of a server, that can tell how many of its
 * timers are live: scheduled and neither cancelled nor ended. That count is how the tests of
 * lesson 03 prove that a timer did not outlive its connection.
 *
 * <p>A scheduler made inside a test's {@link VirtualClock#during} goes by that clock: its timers
 * fire when the test moves the clock on, not on their own; {@code execute} and {@code submit}
 * still run at once.
 */
public final class Scheduler extends ScheduledThreadPoolExecutor {

    private final Set<Future<?>> timers = ConcurrentHashMap.newKeySet();
    /** How many timers the set held after it last dropped those that have ended. */
    private int keptAfterPruning;

    /** The clock the timers go by, or null: the machine's. */
    private final VirtualClock virtual = VirtualClock.current();

    public Scheduler(String threadName) {
        super(1, task -> new Thread(task, threadName));
        // A cancelled timer leaves the queue at once instead of at its next due time.
        setRemoveOnCancelPolicy(true);
    }

    /** The clock this scheduler's timers go by: the machine's, or a test's virtual one. */
    public Clock clock() {
        return virtual != null ? virtual : Clock.systemUTC();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return virtual == null ? super.schedule(task, delay, unit) : onVirtualTime(Executors.callable(task), delay, 0, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
        return virtual == null ? super.schedule(task, delay, unit) : onVirtualTime(task, delay, 0, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long delay, long period, TimeUnit unit) {
        return virtual == null ? super.scheduleAtFixedRate(task, delay, period, unit) : periodic(task, delay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long delay, long period, TimeUnit unit) {
        return virtual == null ? super.scheduleWithFixedDelay(task, delay, period, unit) : periodic(task, delay, period, unit);
    }

    private ScheduledFuture<?> periodic(Runnable task, long delay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("A period must be positive: " + period);
        }
        return onVirtualTime(Executors.callable(task), delay, period, unit);
    }

    private <V> ScheduledFuture<V> onVirtualTime(Callable<V> task, long delay, long period, TimeUnit unit) {
        if (isShutdown()) {
            throw new RejectedExecutionException("The scheduler has shut down");
        }
        return kept(virtual.schedule(this, task, delay, period, unit));
    }

    // On virtual time, execute and submit still run at once: only timers wait for the test.
    @Override
    public void execute(Runnable task) {
        super.schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return super.schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return super.schedule(Executors.callable(task, result), 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return super.schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    /** Runs a virtual timer that is due, now, on this scheduler's thread. */
    Future<?> runNow(VirtualClock.Timer<?> timer) {
        return super.schedule(timer, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        cancelVirtualTimers();
        super.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        cancelVirtualTimers();
        return super.shutdownNow();
    }

    /** A shut down scheduler runs no more timers, as the machine's periodic ones do not either. */
    private void cancelVirtualTimers() {
        if (virtual != null) {
            timers.forEach(timer -> timer.cancel(false));
        }
    }

    /**
     * A timer that throws is cancelled by the executor without a word: say it, so that the learner
     * sees why their clock stopped (and the tests, where it threw).
     */
    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        if (task instanceof Future<?> timer) {
            reportFailure(timer);
        }
    }

    void reportFailure(Future<?> timer) {
        if (timer.isDone() && !timer.isCancelled()) {
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
        // A virtual timer is kept once, when scheduled, not each time it runs.
        return runnable instanceof VirtualClock.Timer<?> ? task : kept(task);
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
