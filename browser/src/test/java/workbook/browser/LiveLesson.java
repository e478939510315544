package workbook.browser;

import java.io.IOException;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import workbook.server.LessonServer;
import workbook.testkit.LessonServerExtension;

/**
 * A lesson server and a headless Chromium for each test: the server on a free port, the browser to
 * open its live page in. Without Chromium the test is skipped, or fails under CI (see
 * {@link Chromium#assumeInstalled()}). Use it as a field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final LiveLesson<ReplyServer> lesson = new LiveLesson<>(ReplyServer::new);
 * }</pre>
 */
public final class LiveLesson<S extends LessonServer> implements BeforeEachCallback, AfterEachCallback {

    private final LessonServerExtension<S> server;
    private Chromium chromium;

    public LiveLesson(Supplier<S> factory) {
        this.server = new LessonServerExtension<>(factory);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Chromium.assumeInstalled();
        server.beforeEach(context);
        chromium = new Chromium(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        // The browser first, so that its last screenshot shows the page before the server stops.
        try {
            chromium.close();
        } finally {
            server.afterEach(context);
        }
    }

    /** The lesson server under test, e.g. to push from it or to stop it. */
    public S server() {
        return server.server();
    }

    /** Opens the server's live page, in a new tab after the first, once its WebSocket is open. */
    public LivePage open() throws IOException {
        return open("/");
    }

    /** Opens {@code path} of the server's page, e.g. {@code /?path=/json}. */
    public LivePage open(String path) throws IOException {
        return chromium.open(server().page().resolve(path));
    }

    /** For a lesson that runs several instances: starts another, stopped after the test (see LessonServerExtension). */
    public <T extends S> T startAnother(Supplier<T> factory) {
        return server.startAnother(factory);
    }

    /** Opens {@code path} of the page of {@code instance}, the first server or one from {@link #startAnother}. */
    public LivePage open(LessonServer instance, String path) throws IOException {
        return chromium.open(instance.page().resolve(path));
    }
}
