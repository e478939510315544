package workbook.testkit;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/** For what the server does on its own threads: check again and again, up to {@link #LIMIT}. */
public final class Eventually {

    /**
     * What a server does on its own after an event the test caused (a connection closed or
     * dropped, a subscription made) takes it milliseconds, once the test's clients are connected:
     * this is plenty on a busy machine, and keeps a failing check short.
     */
    public static final Duration LIMIT = Duration.ofSeconds(2);

    private Eventually() {
    }

    /**
     * Awaitility checking at once, then every 10 ms, up to {@link #LIMIT}: its defaults wait
     * 100 ms before the first check, even for what is already so, and that on every save.
     */
    static ConditionFactory await() {
        // In the test's own thread: a check on a thread of Awaitility's, cut short at the limit on a
        // busy machine, would leave a bare TimeoutException as the last failure instead of the learner's message.
        return Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(LIMIT);
    }

    /** Passes as soon as {@code assertion} passes; once the wait is over, fails as it last failed. */
    public static void eventually(ThrowingRunnable assertion) {
        try {
            await().untilAsserted(assertion);
        } catch (ConditionTimeoutException timeout) {
            // Awaitility's own message starts with where the lambda was written: the learner needs
            // only the assertion's message, and how long it was given.
            Throwable cause = timeout.getCause();
            String last = cause == null ? timeout.getMessage() : cause.getMessage() != null ? cause.getMessage() : cause.toString();
            throw new AssertionError(last + "\n(still so after " + LIMIT.toSeconds() + " s)");
        }
    }
}
