package workbook.slowconsumers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import workbook.server.LessonServer;
import workbook.server.Sends;
import workbook.slowconsumers.Outbox.Price;

/**
 * Lesson 07: slow consumers. A chat on /chat, where every client gets every post, and a price
 * ticker on /, which publishes prices from Java; one client that stops reading must cost neither
 * the others nor the server's memory.
 */
public final class SlowConsumersServer extends LessonServer {

    private static final Logger LOG = LoggerFactory.getLogger(SlowConsumersServer.class);

    /** How many posts may wait, unwritten, for one chat client before it is closed. */
    static final int MAX_BACKLOG = 100;

    final Map<Session, Outbox> chat = new ConcurrentHashMap<>();
    private final Map<Session, Outbox> ticker = new ConcurrentHashMap<>();
    /** Each symbol's last sequence number; guarded by this (publish). */
    private final Map<String, Long> sequences = new ConcurrentHashMap<>();

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new ClientEndpoint(this, ticker));
        endpoints.addMapping("/chat", (request, response, callback) -> new ClientEndpoint(this, chat));
    }

    // tag::bound[]
    /** Sends {@code text} to every chat client, in order; one too far behind is closed instead. */
    public void post(String text) {
        for (Outbox client : chat.values()) {
            if (!client.session.isOpen()) {
                continue;
            }
            if (client.backlog() >= MAX_BACKLOG) {
                LOG.info("Closing the chat client at {}: {} posts unwritten", client.session.getRemoteSocketAddress(), client.backlog()); // <1>
                client.session.close(StatusCode.TRY_AGAIN_LATER, "Too far behind: reconnect to catch up", Sends.LOG_FAILURE); // <2>
            } else {
                client.send(text);
            }
        }
    }
    // end::bound[]

    // tag::publish[]
    /** Publishes a price of {@code symbol} to every ticker client; a client still busy gets the newest later. */
    public synchronized void publish(String symbol, double price) {
        long seq = sequences.merge(symbol, 1L, Long::sum);
        Price message = new Price("price", symbol, price, seq);
        for (Outbox client : ticker.values()) {
            client.offer(message);
        }
    }
    // end::publish[]

    /** The chat's clients now, with their backlogs. */
    Collection<Outbox> chatClients() {
        return List.copyOf(chat.values());
    }

    /** The ticker's clients now. */
    Collection<Outbox> tickerClients() {
        return List.copyOf(ticker.values());
    }

    public static void main(String[] args) throws Exception {
        run(new SlowConsumersServer(), args);
    }
}
