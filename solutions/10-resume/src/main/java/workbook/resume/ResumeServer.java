package workbook.resume;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.Json;
import workbook.server.LessonServer;

/**
 * Lesson 10: a broadcast that a client may resume. Every message carries its number; a client that
 * reconnects with the last one it saw (ws://host/?epoch=E&amp;since=41) gets what it missed first,
 * then the live messages, each once, in order.
 */
public final class ResumeServer extends LessonServer {

    /** How many of the latest messages the server keeps: fewer than the 1000 a client's queue holds. */
    static final int HISTORY = 500;

    /** A message as every client gets it, e.g. {"type":"message","epoch":"3f…","seq":42,"text":"hi"}. */
    record Message(String type, String epoch, long seq, String text) {
    }

    /** "Start again from here": what a client gets when the server cannot give it what it missed. */
    record Reset(String type, String epoch, long seq) {
    }

    /** Where a client says it stopped: the epoch and number of the last message it saw. */
    record Resume(String epoch, long since) {
    }

    /** Names this run of the server: after a restart the numbers start again, under another epoch. */
    private final String epoch = UUID.randomUUID().toString();
    /** The open sessions that get the live messages; publish and subscribe change them under the lock. */
    private final Set<Session> subscribers = ConcurrentHashMap.newKeySet();
    /** The last HISTORY messages, as sent: message number seq is at seq % HISTORY. Under the lock. */
    private final String[] history = new String[HISTORY];
    /** The number of the last message published, 0 before the first. Under the lock. */
    private long seq;

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> {
            Fields query = Request.extractQueryParameters(request);
            String since = query.getValue("since");
            if (since == null) {
                return new ResumeEndpoint(this, null); // a new client: the live messages only
            }
            if (!since.matches("[0-9]{1,18}")) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                        "since is the number of the last message seen: ws://host/?epoch=E&since=41");
                return null;
            }
            return new ResumeEndpoint(this, new Resume(query.getValue("epoch"), Long.parseLong(since)));
        });
    }

    /** Sends {@code text} to every subscriber as the next numbered message, and keeps it for those who resume. */
    // tag::publish[]
    public synchronized void publish(String text) { // <1>
        seq++;
        String message = Json.write(new Message("message", epoch, seq, text));
        history[(int) (seq % HISTORY)] = message; // <2>
        for (Session session : subscribers) {
            session.sendText(message, whenSent(session)); // <3>
        }
    }
    // end::publish[]

    /** {@code session} has opened: it gets what it missed since {@code resume} (null for a new client), then the live messages. */
    // tag::subscribe[]
    synchronized void subscribe(Session session, Resume resume) { // <1>
        for (String message : missed(resume)) {
            session.sendText(message, whenSent(session)); // <2>
        }
        subscribers.add(session); // <3>
    }
    // end::subscribe[]

    /** What a client that stopped at {@code resume} must get before the live messages. Under the lock. */
    // tag::missed[]
    private List<String> missed(Resume resume) {
        List<String> missed = new ArrayList<>();
        if (resume == null) {
            return missed;
        }
        if (!epoch.equals(resume.epoch()) // <1>
                || resume.since() < seq - HISTORY || resume.since() > seq) { // <2>
            missed.add(Json.write(new Reset("reset", epoch, seq))); // <3>
            return missed;
        }
        for (long next = resume.since() + 1; next <= seq; next++) { // <4>
            missed.add(history[(int) (next % HISTORY)]);
        }
        return missed;
    }
    // end::missed[]

    /** What every send to {@code session} is given: a send that fails closes the connection, so that the client resumes. */
    // tag::sent[]
    private Callback whenSent(Session session) {
        return Callback.from(() -> { }, failure -> // <1>
                session.close(StatusCode.TRY_AGAIN_LATER, "Too far behind: reconnect with since to resume", Callback.NOOP)); // <2>
    }
    // end::sent[]

    /** {@code session} has closed, whichever way. */
    void unsubscribe(Session session) {
        subscribers.remove(session);
    }

    /**
     * Drops every connection at once, without a close frame, as a network failure would: for the
     * live page's test, and to try resuming by hand.
     */
    public void dropAll() {
        subscribers.forEach(Session::disconnect);
    }

    /** This run's epoch, as every message carries it. */
    public String epoch() {
        return epoch;
    }

    /** The number of the last message published, 0 before the first. */
    public synchronized long lastSeq() {
        return seq;
    }

    /** How many clients get the live messages now. */
    public int subscribers() {
        return subscribers.size();
    }

    public static void main(String[] args) throws Exception {
        run(new ResumeServer(), args);
    }
}
