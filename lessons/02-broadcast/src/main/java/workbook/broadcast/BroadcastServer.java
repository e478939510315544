package workbook.broadcast;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;
import workbook.server.Sends;

/** Lesson 02: a minimal chat. Every message a client sends goes to every open client. */
public final class BroadcastServer extends LessonServer {

    /** The open sessions. Jetty threads add and remove while broadcasts iterate: a concurrent set. */
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new ChatEndpoint(this));
    }

    void join(Session session) {
        sessions.add(session);
    }

    void leave(Session session) {
        sessions.remove(session);
    }

    /** How many clients are connected now. */
    public int clientCount() {
        return sessions.size();
    }

    /** Sends {@code text} to every open client. Never blocks, never throws for a client's sake. */
    public void broadcast(String text) {
        // TODO 2: send text to every open session, waiting for none of them: a client that is slow,
        //         or has just gone, must neither hold up nor break the loop for the others.
    }

    public static void main(String[] args) throws Exception {
        run(new BroadcastServer(), args);
    }
}
