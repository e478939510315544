package workbook.slowconsumers;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import workbook.server.Json;

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

    // tag::send[]
    /** Sends {@code text} without waiting; it counts in the backlog until Jetty has written it or given up. */
    void send(String text) {
        backlog.incrementAndGet(); // <1>
        session.sendText(text, Callback.from(this::written, failure -> written())); // <2>
    }

    private void written() {
        backlog.decrementAndGet();
        sendPending();
    }
    // end::send[]

    /** How many messages are sent to this client but not yet written to its connection. */
    int backlog() {
        return backlog.get();
    }

    // tag::conflate[]
    /** Sends {@code price} now if nothing is in flight; else keeps it, replacing an older one of its symbol. */
    synchronized void offer(Price price) {
        if (inFlight) {
            pending.put(price.symbol(), price); // <1>
            return;
        }
        inFlight = true;
        send(Json.write(price));
    }

    /** Once a send is done: the oldest symbol's newest price, if any is held back. */
    private synchronized void sendPending() {
        Iterator<Price> next = pending.values().iterator();
        if (!next.hasNext()) {
            inFlight = false; // <2>
            return;
        }
        Price price = next.next();
        next.remove();
        send(Json.write(price));
    }
    // end::conflate[]

    /** How many prices are held back for this client now. */
    synchronized int pending() {
        return pending.size();
    }
}
