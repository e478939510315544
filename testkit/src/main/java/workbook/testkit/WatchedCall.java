package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.awaitility.core.ThrowingRunnable;

/**
 * A call into the learner's code that may wait, made on a thread of its own beside the test, which
 * looks at that thread's stack: whether the call waits (for a future, a lock, a sleep) in a method
 * of the learner's is known as soon as it does, with no margin of time that a busy machine could
 * overrun, and no wait of the test's own.
 */
public final class WatchedCall {

    /** The JDK's methods in which a thread waits: a park (futures, locks), a sleep, Object.wait. */
    private static final Set<String> WAITS = Set.of("park", "sleep", "sleep0", "wait", "wait0");

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;
    private final Class<?> owner;
    private final String method;

    /**
     * Starts {@code call}, which may wait in {@code method} of {@code owner} (or in a lambda
     * written in that method): a wait of the JDK's that this method called itself.
     */
    public WatchedCall(Class<?> owner, String method, ThrowingRunnable call) {
        this.owner = owner;
        this.method = method;
        thread = Background.start("test call of " + owner.getSimpleName() + "." + method, call, done);
    }

    /**
     * Watches the call until it returns (false), waits in the method (true), or is at a frame that
     * {@code past} accepts, a point that comes after the wait it could have made (false).
     *
     * @throws Throwable what the call threw, if it did
     */
    public boolean waits(Predicate<StackTraceElement> past, Todo todo) throws Throwable {
        long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                done.get(1, TimeUnit.MILLISECONDS);
                return false;
            } catch (ExecutionException e) {
                throw e.getCause();
            } catch (TimeoutException e) {
                // Still running: where?
            }
            List<StackTraceElement> stack = List.of(thread.getStackTrace());
            if (stack.stream().anyMatch(past)) {
                return false;
            }
            if (waitsInTheMethod(stack)) {
                return true;
            }
        }
        return fail("Expected %s.%s to return, but it had not within %d s.%n  -> %s",
                owner.getSimpleName(), method, TestClient.WAIT.toSeconds(), todo);
    }

    /** {@link #waits(Predicate, Todo)} with no point past the wait but the call's return. */
    public boolean waits(Todo todo) throws Throwable {
        return waits(frame -> false, todo);
    }

    /**
     * Waits for the call to return, as it must {@code when} ("once the last client has left"), or
     * fails, saying {@code how} to make it; fails as the call failed, if it did.
     */
    public void assertReturns(String when, String how, Todo todo) throws Throwable {
        try {
            done.get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("Expected %s.%s to return %s, but it had not within %d s: %s.%n  -> %s",
                    owner.getSimpleName(), method, when, TestClient.WAIT.toSeconds(), how, todo);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /**
     * Lets the call end with the test: one that waits in the method (for an hour, say) is
     * interrupted; one on its way out finishes first.
     */
    public void end() throws InterruptedException {
        if (waitsInTheMethod(List.of(thread.getStackTrace()))) {
            thread.interrupt();
        }
        thread.join(TestClient.WAIT.toMillis());
    }

    /**
     * Waiting, in a wait of the JDK's whose first caller outside the JDK is the owner's code (the
     * method, or a method it calls), while in the method: not in a wait of Jetty's, say.
     */
    private boolean waitsInTheMethod(List<StackTraceElement> stack) {
        return !stack.isEmpty() && WAITS.contains(stack.get(0).getMethodName())
                && stack.stream().filter(frame -> !frame.getClassName().startsWith("java.") && !frame.getClassName().startsWith("jdk."))
                        .findFirst().filter(frame -> frame.getClassName().equals(owner.getName())).isPresent()
                && stack.stream().anyMatch(frame -> frame.getClassName().equals(owner.getName())
                        && (frame.getMethodName().equals(method) || frame.getMethodName().startsWith("lambda$" + method + "$")));
    }
}
