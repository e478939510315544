package workbook.broadcast;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;
import workbook.server.Sends;

/** Lesson 02: a minimal chat. Every message a client sends goes to every open client. */
public final class BroadcastServer extends LessonServer {

    // tag::sessions[]
    /** The open sessions. Jetty threads add and remove while broadcasts iterate: a concurrent set. */
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    // end::sessions[]

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

    // tag::broadcast[]
    /** Sends {@code text} to every open client. Never blocks, never throws for a client's sake. */
    public void broadcast(String text) {
        for (Session session : sessions) {
            // A session may close between this check and the send: the send then fails its
            // callback instead of throwing, so one dead client cannot stop the loop.
            if (session.isOpen()) { // <1>
                session.sendText(text, Sends.LOG_FAILURE); // <2>
            }
        }
    }
    // end::broadcast[]

    public static void main(String[] args) throws Exception {
        run(new BroadcastServer(), args);
    }
}
