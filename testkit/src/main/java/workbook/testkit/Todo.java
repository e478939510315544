package workbook.testkit;

/**
 * Where in the stub a learner works on a task, e.g. {@code TODO 1 in ReplyEndpoint.java}. Every
 * failure message ends with it, so a learner knows what to edit next.
 *
 * @param number the TODO's number, or 0 for code the lesson ships working (see {@link #given})
 */
public record Todo(int number, String file) {

    /** Code that comes working with the stub: a failure there means an edit broke it. */
    public static Todo given(String where) {
        return new Todo(0, where);
    }

    /** The text for AssertJ's {@code as(...)}: what was expected, then where to work on it. */
    public String explain(String expectation) {
        return expectation + "\n  -> " + this;
    }

    @Override
    public String toString() {
        return number == 0
                ? "this worked as shipped: compare " + file + " with the stub in git (git diff)"
                : "work on TODO " + number + " in " + file;
    }
}
