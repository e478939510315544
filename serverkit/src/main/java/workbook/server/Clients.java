package workbook.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Session;

/**
 * The open sessions of a server, and a broadcast to all of them: what lesson 02 builds, given to
 * the lessons after it. Jetty threads add and remove sessions while broadcasts iterate, hence the
 * concurrent set.
 */
public final class Clients {

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    public void add(Session session) {
        sessions.add(session);
    }

    public void remove(Session session) {
        sessions.remove(session);
    }

    public int count() {
        return sessions.size();
    }

    /** Sends {@code text} to every open session; a send that fails only fails its own callback. */
    public void broadcast(String text) {
        for (Session session : sessions) {
            if (session.isOpen()) {
                session.sendText(text, Sends.LOG_FAILURE);
            }
        }
    }
}
