package workbook.tool;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Skips the tests left in a run of JUnit once one has failed: a verdict names only the first
 * failure, and the tests after it would only cost the learner time. {@link LessonRunner} turns it
 * on (by JUnit's extension autodetection, from this jar's service file) for the runs that stop
 * there; a run of every test, such as the reference solution's, does not.
 */
public final class StopAtFirstFailure implements ExecutionCondition, TestWatcher {

    /** Why a test was skipped: the runner leaves such tests out of its report. */
    static final String REASON = "not run: an earlier test of this run failed";
    private static final Namespace RUN = Namespace.create(StopAtFirstFailure.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // The root context's store lives as long as one execution of the launcher: one task's tests.
        return context.getRoot().getStore(RUN).get(REASON) == null
                ? ConditionEvaluationResult.enabled("no test of this run has failed")
                : ConditionEvaluationResult.disabled(REASON);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getRoot().getStore(RUN).put(REASON, true);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        testFailed(context, cause);
    }
}
