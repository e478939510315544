package workbook.events;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.events.Repository.DataChanged;
import workbook.server.ClientEndpoint;
import workbook.server.Clients;
import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.LessonServer;

/**
 * Lesson 04: pushes when something happens elsewhere in the program. Each event of the
 * repository goes to every open client as {@code {"type":"new-data","data":…,"timestamp":…}}.
 */
public final class EventServer extends LessonServer implements Flow.Subscriber<DataChanged> {

    /** The message for an event, sent as JSON: {"type":"new-data","data":"…","timestamp":…}. */
    record NewData(String type, String data, long timestamp) {
    }

    private final Repository repository;
    private final Clients clients = new Clients();
    /**
     * The subscription, once the repository has called onSubscribe. That call comes later, on a
     * thread of the repository, and may come after stop(): a future lets stop() cancel it either way.
     */
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();

    public EventServer(Repository repository) {
        this.repository = repository;
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new ClientEndpoint(clients));
    }

    // tag::subscribe[]
    @Override
    public URI start(int port) throws Exception {
        URI uri = super.start(port);
        repository.subscribe(this); // <1>
        return uri;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription.complete(subscription); // <2>
        // onNext never blocks (sends are asynchronous), so there is no need to pace the events.
        subscription.request(Long.MAX_VALUE); // <3>
    }
    // end::subscribe[]

    // tag::push[]
    @Override
    public void onNext(DataChanged event) {
        NewData message = new NewData("new-data", event.data(), System.currentTimeMillis());
        clients.broadcast(Json.write(message)); // <1>
    }
    // end::push[]

    @Override
    public void onError(Throwable failure) {
        // No more events will come: the repository failed, or onNext threw and was unsubscribed.
        Failures.report("The repository, or onNext,", failure);
    }

    @Override
    public void onComplete() {
        // The repository closed; nothing more will come.
    }

    // tag::unsubscribe[]
    @Override
    public void stop() throws Exception {
        // Cancels now, or as soon as onSubscribe hands over the subscription.
        subscription.thenAccept(Flow.Subscription::cancel); // <1>
        super.stop();
    }
    // end::unsubscribe[]

    /** Whether the repository has handed over the subscription (onSubscribe). */
    public boolean hasSubscription() {
        return subscription.isDone();
    }

    /** How many clients are connected now. */
    public int clientCount() {
        return clients.count();
    }

    /** Runs the server; each line typed on the console is an update of the repository. */
    public static void main(String[] args) throws Exception {
        Repository repository = new Repository();
        Thread console = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                lines.lines().forEach(repository::update);
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        console.setDaemon(true);
        console.start();
        System.out.println("Type a line and press Enter: it updates the repository, and every client hears of it.");
        run(new EventServer(repository), args);
    }
}
