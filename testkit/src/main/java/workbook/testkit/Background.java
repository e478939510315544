package workbook.testkit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.core.ThrowingRunnable;

/** Work a test runs beside its own thread, as Jetty's threads would, and what became of it. */
public final class Background {

    /**
     * How far {@link #pushWhile} may run ahead of its slowest reader: enough to keep the server
     * walking its clients all the time, and no more. A deeper backlog only adds work that competes
     * with the background's for the CPU (with 500, lesson 06's churn test took twice as long).
     */
    static final int AHEAD = 20;

    /** How long {@link #pushWhile} pauses while it is as far ahead as it may be. */
    private static final long PACE_NANOS = 100_000;

    private Background() {
    }

    /**
     * Runs {@code work} on a daemon thread of its own: a call that blocks (a broadcast that waits
     * for a slow client, say) must not block the test, and a thread left over must not keep the
     * JVM alive.
     */
    public static CompletableFuture<Void> inBackground(Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        start("test-background", work::run, done);
        return done;
    }

    /** Runs {@code work} on a daemon thread named {@code name}; {@code done} completes as it ends. */
    static Thread start(String name, ThrowingRunnable work, CompletableFuture<Void> done) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable failure) {
                done.completeExceptionally(failure);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for {@code done}, and fails as it failed, with its own exception (the learner's, say). */
    public static void rethrowFailure(CompletableFuture<Void> done) throws Throwable {
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /**
     * Runs {@code push} again and again until {@code done} is, so that whatever the background work
     * does meets a push in progress; never more than {@link #AHEAD} pushes ahead of the slowest of
     * {@code readers}, fewer than the 1000 messages a server queues for one client, so that even a
     * reader behind on a busy machine gets them all.
     *
     * @return how many times it pushed
     */
    public static int pushWhile(CompletableFuture<Void> done, List<TestClient> readers, Runnable push) {
        int before = slowest(readers);
        int pushes = 0;
        while (!done.isDone()) {
            if (pushes - (slowest(readers) - before) < AHEAD) {
                push.run();
                pushes++;
            } else {
                // Pacing, not waiting for a result: a spinning thread would take a core from the
                // server's and the clients' threads, which it waits for, on a busy machine.
                LockSupport.parkNanos(PACE_NANOS);
            }
        }
        return pushes;
    }

    private static int slowest(List<TestClient> readers) {
        return readers.stream().mapToInt(TestClient::received).min().orElse(0);
    }
}
