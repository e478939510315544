package workbook.rooms;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;
import workbook.server.Sends;

/**
 * Lesson 06: targeted sends. Each client names itself when it connects (ws://host/?user=alice);
 * a message goes to one user, in every tab it has open, or to the members of a room.
 */
public final class RoomsServer extends LessonServer {

    /** What a user's name may be: 1 to 32 letters, digits, '-' or '_'. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /**
     * Each connected user's open connections, by name: one per tab. Jetty's threads connect and
     * disconnect at once, and sends walk the sets meanwhile: concurrent maps and sets throughout.
     */
    private final Map<String, Set<Session>> users = new ConcurrentHashMap<>();
    /** Each room's members, by the room's name: connections, not users (one tab may be in a room, another not). */
    private final Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> {
            // TODO 1: the client names itself in the upgrade request: its ?user= query parameter.
            //         Refuse a request without a valid NAME before the upgrade, with HTTP 400 and a
            //         message that says why (then return null: no endpoint, no WebSocket).
            String user = "nobody";
            return new RoomsEndpoint(this, user);
        });
    }

    /** A connection of {@code user} has opened (its endpoint calls this from onOpen). */
    void connected(String user, Session session) {
        // TODO 1: add the session to the user's connections: a user may have several (two tabs).
    }

    /**
     * A connection of {@code user} has ended, whichever way (its endpoint calls this from onClose).
     *
     * @param itsRooms the rooms the connection was in: its endpoint keeps them
     */
    void disconnected(String user, Session session, Set<String> itsRooms) {
        // TODO 1: forget the session, and the user once it has no connection left.
        // TODO 3: and take the session out of each of its rooms (itsRooms), and out of no other:
        //         a close must not cost the rooms of every other connection.
    }

    /**
     * Sends {@code text} to every open connection of {@code user}, waiting for none.
     *
     * @return whether {@code user} is connected: the endpoint tells the sender when not
     */
    public boolean sendTo(String user, String text) {
        // TODO 2: send text to each of the user's open connections; false if there is no such user.
        return false;
    }

    /** {@code session} enters {@code room}, which exists from its first member on. */
    void join(String room, Session session) {
        // TODO 3: add the session to the room's members, making the room if it is new.
    }

    /** {@code session} leaves {@code room}; a room without members is no more. */
    void leave(String room, Session session) {
        // TODO 3: remove the session from the room's members, and the room once it is empty.
    }

    /** Sends {@code text} to every open member of {@code room}, and to no one else. Never blocks. */
    public void post(String room, String text) {
        // TODO 4: send text to each open member of the room (none if there is no such room).
    }

    boolean isMember(String room, Session session) {
        return rooms.getOrDefault(room, Set.of()).contains(session);
    }

    /** How many connections {@code user} has open now (0 for a user not connected). */
    public int connectionsOf(String user) {
        return users.getOrDefault(user, Set.of()).size();
    }

    /** The names of the users connected now, in alphabetical order. */
    public Set<String> users() {
        return new TreeSet<>(users.keySet());
    }

    /** The rooms that have members now, in alphabetical order. */
    public Set<String> rooms() {
        return new TreeSet<>(rooms.keySet());
    }

    /** How many connections are in {@code room} now. */
    public int membersOf(String room) {
        return rooms.getOrDefault(room, Set.of()).size();
    }

    public static void main(String[] args) throws Exception {
        run(new RoomsServer(), args);
    }
}
