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
import workbook.server.Sends;

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
    public synchronized void publish(String text) {
        // TODO 1: count the message (seq), send it to every subscriber as a Message in JSON
        //  (Json.write(new Message("message", epoch, seq, text))), and keep that JSON in the history.
        for (Session session : subscribers) {
            session.sendText(text, whenSent(session));
        }
    }

    /** {@code session} has opened: it gets what it missed since {@code resume} (null for a new client), then the live messages. */
    synchronized void subscribe(Session session, Resume resume) {
        // TODO 2: a client that resumes (resume is not null) first gets every message after
        //  resume.since(), from the history, in order; no message may come twice or go missing, even
        //  while others publish.
        // TODO 3: when what it missed is no longer all in the history, or resume.since() is ahead of
        //  the last seq published, it gets a Reset with the current seq instead, then the live messages.
        // TODO 4: when resume.epoch() is not this run's epoch, the numbers it knows are another run's:
        //  a Reset too.
        subscribers.add(session);
    }

    /** What every send to {@code session} is given. */
    private Callback whenSent(Session session) {
        // TODO 5: past the messages Jetty queues for a client that reads too slowly, a send fails and
        //  the client never gets that message, while later ones may still reach it. A failed send must
        //  close the connection with StatusCode.TRY_AGAIN_LATER (1013) and a reason, so that the client
        //  reconnects with ?since= and gets what it missed.
        return Sends.LOG_FAILURE;
    }

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
