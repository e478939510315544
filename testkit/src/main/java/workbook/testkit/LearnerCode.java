package workbook.testkit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Explains an exception that reached a test, in the learner's terms: what was thrown, where in the
 * learner's code (file and line), and which TODO to work on. A bare class name such as
 * {@code java.util.ConcurrentModificationException} tells a learner nothing about where to look.
 */
final class LearnerCode {

    private static final Pattern TASK = Pattern.compile("Task (\\d+):.*");

    private LearnerCode() {
    }

    /**
     * @param lessonPackage the package of the lesson's code, e.g. {@code workbook.broadcast}
     * @param context the failed test: its test class is not the learner's code, and its enclosing
     *        "Task N: ..." class names the task, whose TODO has the same number
     */
    static AssertionError explain(Throwable thrown, String lessonPackage, ExtensionContext context) {
        String testClass = topLevel(context.getRequiredTestClass().getName());
        Optional<StackTraceElement> where = learnerFrame(thrown, lessonPackage, testClass);
        Optional<Integer> task = task(context);
        StringBuilder message = new StringBuilder();
        if (where.isPresent()) {
            StackTraceElement frame = where.get();
            message.append("Your code threw ").append(thrown).append("\n  at ").append(frame.getFileName())
                    .append(':').append(frame.getLineNumber()).append(", in ").append(method(frame));
            task.ifPresent(n -> message.append("\n  -> ").append(new Todo(n, frame.getFileName())));
        } else {
            StackTraceElement[] stack = thrown.getStackTrace();
            message.append("The test stopped on ").append(thrown);
            if (stack.length > 0) {
                message.append("\n  at ").append(stack[0].getFileName()).append(':').append(stack[0].getLineNumber());
            }
            task.ifPresent(n -> message.append("\n  -> work on TODO ").append(n));
        }
        return new AssertionError(message.toString(), thrown);
    }

    /** The first frame in the lesson's own code, not in its tests, of the exception or else of its causes. */
    private static Optional<StackTraceElement> learnerFrame(Throwable thrown, String lessonPackage, String testClass) {
        for (Throwable at = thrown; at != null; at = at.getCause()) {
            for (StackTraceElement frame : at.getStackTrace()) {
                String owner = topLevel(frame.getClassName());
                if (owner.startsWith(lessonPackage + ".") && !owner.equals(testClass) && frame.getFileName() != null) {
                    return Optional.of(frame);
                }
            }
        }
        return Optional.empty();
    }

    /** The number of the task whose tests the failed one belongs to, from "Task N: ..." display names. */
    private static Optional<Integer> task(ExtensionContext context) {
        for (Optional<ExtensionContext> at = Optional.of(context); at.isPresent(); at = at.get().getParent()) {
            Matcher matcher = TASK.matcher(at.get().getDisplayName());
            if (matcher.matches()) {
                return Optional.of(Integer.parseInt(matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    private static String method(StackTraceElement frame) {
        String name = frame.getMethodName();
        // A lambda's frame is named lambda$broadcast$0: the method it was written in is what the learner sees.
        return name.startsWith("lambda$") ? "a lambda in " + name.split("\\$")[1] : name;
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }
}
