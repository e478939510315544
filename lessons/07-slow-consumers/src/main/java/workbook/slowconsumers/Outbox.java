package workbook.slowconsumers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import workbook.server.Json;
import workbook.server.Sends;

/** What the server has for one client: what is sent but not yet written, and the prices it holds back. */
final class Outbox {

    /** One price, as the ticker sends it: {"type":"price","symbol":"ACME","price":101.25,"seq":17}. */
    record Price(String type, String symbol, double price, long seq) {
    }

    final Session session;
    private final AtomicInteger backlog = new AtomicInteger();
    /** The newest price per symbol not sent yet, while a send is in flight; guarded by this. */
    private final Map<String, Price> pending = new LinkedHashMap<>();
    private boolean inFlight;

    Outbox(Session session) {
        this.session = session;
    }

    /** Sends {@code text} without waiting; it counts in the backlog until Jetty has written it or given up. */
    void send(String text) {
        // TODO 1: count the message in the backlog before the send, and out of it when the send's
        //         callback completes, whether it succeeds or fails (then call written()).
        session.sendText(text, Sends.LOG_FAILURE);
    }

    private void written() {
        // TODO 1: one message fewer in the backlog.
        sendPending();
    }

    /** How many messages are sent to this client but not yet written to its connection. */
    int backlog() {
        // TODO 1: the count kept by send and written.
        return 0;
    }

    /** Sends {@code price} now if nothing is in flight; else keeps it, replacing an older one of its symbol. */
    synchronized void offer(Price price) {
        // TODO 3: while a send is in flight, keep only the newest price per symbol in pending;
        //         else mark one in flight and send it.
        send(Json.write(price));
    }

    /** Once a send is done: the oldest symbol's newest price, if any is held back. */
    private synchronized void sendPending() {
        // TODO 3: take the first pending price out and send it; with none pending, nothing is in flight.
    }

    /** How many prices are held back for this client now. */
    synchronized int pending() {
        return pending.size();
    }
}
