package workbook.testkit;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Explains an exception from the learner's code, in the learner's terms: what was thrown, where in
 * their code (file and line), and which TODO to work on. A bare class name such as
 * {@code java.util.ConcurrentModificationException} tells a learner nothing about where to look.
 */
final class LearnerCode {

    private static final Pattern TASK = Pattern.compile("Task (\\d+):.*");

    private final String lessonPackage;
    private final String testClass;

    /**
     * @param testClass the lesson's test class: the learner's code is the rest of its package, e.g.
     *        {@code workbook.broadcast}
     */
    LearnerCode(Class<?> testClass) {
        this.lessonPackage = testClass.getPackageName();
        this.testClass = topLevel(testClass.getName());
    }

    /**
     * A test stopped on {@code thrown}, e.g. a ConcurrentModificationException from a method the
     * test called: the failure says where the learner's code threw it, and the TODO of the test's
     * task ({@code "Task N: ..."} in the display names of the test or its classes).
     */
    AssertionError explain(Throwable thrown, ExtensionContext context) {
        Optional<Integer> task = task(context);
        Optional<StackTraceElement> where = frame(thrown);
        StringBuilder message = new StringBuilder();
        if (where.isPresent()) {
            message.append("Your code threw ").append(thrown).append("\n  at ").append(at(where.get()));
            task.ifPresent(n -> message.append("\n  -> work on TODO ").append(n));
        } else {
            StackTraceElement[] stack = thrown.getStackTrace();
            message.append("The test stopped on ").append(thrown);
            if (stack.length > 0) {
                message.append("\n  at ").append(at(stack[0]));
            }
            task.ifPresent(n -> message.append("\n  -> work on TODO ").append(n));
        }
        return new AssertionError(message.toString(), thrown);
    }

    /**
     * A failed test, with what the learner's code threw on the server's threads meanwhile: Jetty
     * closes such a connection with 1011, and the client sees no more than that.
     */
    AssertionError withServerFailures(AssertionError failure, List<Throwable> onServer) {
        for (Throwable thrown : onServer) {
            Optional<StackTraceElement> where = frame(thrown);
            if (where.isPresent()) {
                return new AssertionError(failure.getMessage() + "\nOn the server, your code threw "
                        + thrown + "\n  at " + at(where.get()), failure);
            }
        }
        return failure;
    }

    /** Whether {@code thrown} came from the lesson's own code. */
    boolean threw(Throwable thrown) {
        return frame(thrown).isPresent();
    }

    /** The first frame in the lesson's own code, not in its tests, of the exception or else of its causes. */
    private Optional<StackTraceElement> frame(Throwable thrown) {
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

    /** "BroadcastServer.java:49, in broadcast": where a frame is, as the learner knows the code. */
    private static String at(StackTraceElement frame) {
        String method = frame.getMethodName();
        // A lambda's frame is named lambda$broadcast$0: the method it was written in is what the learner sees.
        String in = method.startsWith("lambda$") ? "a lambda in " + method.split("\\$")[1] : method;
        return frame.getFileName() + ":" + frame.getLineNumber() + ", in " + in;
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }
}
