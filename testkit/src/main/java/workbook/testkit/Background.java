package workbook.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Work a test runs beside its own thread, as Jetty's threads would, and what became of it. */
public final class Background {

    private Background() {
    }

    /**
     * Runs {@code work} on a daemon thread of its own: a call that blocks (a broadcast that waits
     * for a slow client, say) must not block the test, and a thread left over must not keep the
     * JVM alive.
     */
    public static CompletableFuture<Void> inBackground(Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable failure) {
                done.completeExceptionally(failure);
            }
        }, "test-background");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** Waits for {@code done}, and fails as it failed, with its own exception (the learner's, say). */
    public static void rethrowFailure(CompletableFuture<Void> done) throws Throwable {
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
