package workbook.testkit;

/**
 * Where in the stub a learner works on a task, e.g. {@code TODO 1 in ReplyEndpoint.java}. Every
 * failure message ends with it, so a learner knows what to edit next.
 */
public record Todo(int number, String file) {

    /** The text for AssertJ's {@code as(...)}: what was expected, then where to work on it. */
    public String explain(String expectation) {
        return expectation + "\n  -> " + this;
    }

    @Override
    public String toString() {
        return "work on TODO " + number + " in " + file;
    }
}
