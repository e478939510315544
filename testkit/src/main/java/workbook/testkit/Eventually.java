package workbook.testkit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/** For what the server does on its own threads: check again and again, up to {@link TestClient#WAIT}. */
public final class Eventually {

    private Eventually() {
    }

    /** Passes as soon as {@code assertion} passes; once the wait is over, fails as it last failed. */
    public static void eventually(ThrowingRunnable assertion) {
        try {
            Awaitility.await().atMost(TestClient.WAIT).untilAsserted(assertion);
        } catch (ConditionTimeoutException timeout) {
            // Awaitility's own message starts with where the lambda was written: the learner needs
            // only the assertion's message, and how long it was given.
            String last = timeout.getCause() == null ? timeout.getMessage() : timeout.getCause().getMessage();
            throw new AssertionError(last + "\n(still so after " + TestClient.WAIT.toSeconds() + " s)");
        }
    }
}
