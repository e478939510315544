package workbook.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Time that stands still until a test moves it. A {@link Scheduler} made while {@link #during}
 * runs takes its timers' due times from this clock instead of the machine's: nothing fires until
 * the test calls {@link #advance}, which fires exactly the timers due by then, in due order, each
 * on its scheduler's own thread, and returns once they have run. A test of a heartbeat or a
 * scheduled push then takes microseconds, and "no tick came" is proven, not waited for.
 */
public final class VirtualClock extends Clock {

    /** The clock that schedulers made on this thread now take, if any. */
    private static final ThreadLocal<VirtualClock> MAKING = new ThreadLocal<>();

    private final Instant start;
    /** Nanoseconds since {@link #start}. Under this. */
    private long elapsed;
    /** The timers of every scheduler on this clock, the next due first. Under this. */
    private final PriorityQueue<Timer<?>> due = new PriorityQueue<>();
    private final AtomicLong order = new AtomicLong();

    public VirtualClock() {
        this(Instant.now());
    }

    public VirtualClock(Instant start) {
        this.start = start;
    }

    /** Makes something (a lesson server, with its schedulers) whose schedulers go by this clock. */
    public <T> T during(Supplier<T> making) {
        VirtualClock outer = MAKING.get();
        MAKING.set(this);
        try {
            return making.get();
        } finally {
            MAKING.set(outer);
        }
    }

    /** The clock a scheduler made now on this thread goes by: a virtual one, or null for real time. */
    static VirtualClock current() {
        return MAKING.get();
    }

    /**
     * Moves time on by {@code by}: every timer due by then runs, in due order, each on its
     * scheduler's thread, each awaited up to {@code patience} (a timer that blocks is a bug,
     * and the test should say so, not hang).
     *
     * @throws TimeoutException if a timer ran longer than {@code patience}
     */
    public void advance(Duration by, Duration patience) throws TimeoutException, InterruptedException {
        long until;
        synchronized (this) {
            until = elapsed + by.toNanos();
        }
        while (true) {
            Timer<?> next;
            synchronized (this) {
                next = due.peek();
                if (next == null || next.due > until) {
                    elapsed = until;
                    return;
                }
                due.poll();
                elapsed = next.due;
            }
            next.fire(patience);
        }
    }

    @Override
    public synchronized Instant instant() {
        return start.plusNanos(elapsed);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A virtual clock keeps UTC");
    }

    <V> Timer<V> schedule(Scheduler scheduler, Callable<V> task, long delay, long period, TimeUnit unit) {
        Timer<V> timer = new Timer<>(scheduler, task, unit.toNanos(period));
        synchronized (this) {
            timer.due = elapsed + Math.max(0, unit.toNanos(delay));
            due.add(timer);
        }
        return timer;
    }

    private synchronized void unschedule(Timer<?> timer) {
        due.remove(timer);
    }

    /**
     * One timer on virtual time. A periodic one takes no virtual time to run, so fixed rate and
     * fixed delay are the same here: it is due again one period after it was due.
     */
    final class Timer<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {

        private final Scheduler scheduler;
        private final long period;
        /** Ties broken by the order of scheduling, as a real scheduler does. */
        private final long sequence = order.getAndIncrement();
        /** Nanoseconds since the clock's start. Under the clock. */
        private long due;

        private Timer(Scheduler scheduler, Callable<V> task, long period) {
            super(task);
            this.scheduler = scheduler;
            this.period = period;
        }

        /** Runs this timer on its scheduler's thread, and waits until it has. */
        private void fire(Duration patience) throws TimeoutException, InterruptedException {
            try {
                scheduler.runNow(this).get(patience.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A scheduler failed to run a timer", e.getCause());
            }
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset()) {
                synchronized (VirtualClock.this) {
                    due += period;
                    VirtualClock.this.due.add(this);
                }
            }
            scheduler.reportFailure(this);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            unschedule(this);
            return super.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (VirtualClock.this) {
                return unit.convert(due - elapsed, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed other) {
            Timer<?> that = (Timer<?>) other;
            int byDue = Long.compare(due, that.due);
            return byDue != 0 ? byDue : Long.compare(sequence, that.sequence);
        }
    }
}
