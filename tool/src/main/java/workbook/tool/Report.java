package workbook.tool;

import java.util.List;
import java.util.Set;

import workbook.tool.Manifest.Task;

/**
 * What one run of a lesson's tests found: the compile errors, if the code did not compile, or else
 * the outcome of every test.
 *
 * @param codeLeftRunning whether the learner's code still runs after the tests ended (an endless
 *        loop that a test gave up on, a thread of its own): nothing can stop it but the end of its JVM
 */
public record Report(List<String> compileErrors, List<Outcome> outcomes, boolean codeLeftRunning) {

    public Report(List<String> compileErrors, List<Outcome> outcomes) {
        this(compileErrors, outcomes, false);
    }

    /**
     * One test, or a test class that failed as a whole.
     *
     * @param name the display names from the test class down, e.g. "Task 1: Push a welcome text as soon as a client connects > ..."
     * @param tags the test's JUnit tags, inherited ones included: the ids of its tasks
     * @param failure the failure's message, or null when it passed
     * @param wire for a failed test, what its clients received last (the test kit's report), or null
     */
    public record Outcome(String name, Set<String> tags, String failure, String wire) {
        public Outcome(String name, Set<String> tags, String failure) {
            this(name, tags, failure, null);
        }

        public boolean passed() {
            return failure == null;
        }
    }

    public boolean compiled() {
        return compileErrors.isEmpty();
    }

    public List<Outcome> of(Task task) {
        return outcomes.stream().filter(outcome -> outcome.tags().contains(task.id())).toList();
    }

    public boolean passed() {
        return compiled() && !outcomes.isEmpty() && outcomes.stream().allMatch(Outcome::passed);
    }
}
