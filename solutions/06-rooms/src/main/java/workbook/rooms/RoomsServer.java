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
        // tag::name[]
        endpoints.addMapping("/", (request, response, callback) -> {
            String user = Request.extractQueryParameters(request).getValue("user"); // <1>
            if (user == null || !NAME.matcher(user).matches()) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                        "Name yourself in the address, 1 to 32 letters, digits, - or _: ws://host/?user=alice"); // <2>
                return null; // <3>
            }
            return new RoomsEndpoint(this, user);
        });
        // end::name[]
    }

    /** A connection of {@code user} has opened (its endpoint calls this from onOpen). */
    // tag::registry[]
    void connected(String user, Session session) {
        users.compute(user, (name, sessions) -> with(sessions, session)); // <1>
    }

    /**
     * A connection of {@code user} has ended, whichever way (its endpoint calls this from onClose).
     *
     * @param itsRooms the rooms the connection was in: its endpoint keeps them
     */
    void disconnected(String user, Session session, Set<String> itsRooms) {
        users.computeIfPresent(user, (name, sessions) -> without(sessions, session)); // <2>
        // end::registry[]
        // tag::close[]
        for (String room : itsRooms) { // <1>
            leave(room, session);
        }
        // end::close[]
    }

    // tag::sets[]
    /** {@code set} with {@code session} added, a new concurrent set if there was none. */
    private static Set<Session> with(Set<Session> set, Session session) {
        Set<Session> added = set == null ? ConcurrentHashMap.newKeySet() : set;
        added.add(session);
        return added;
    }

    /** {@code set} without {@code session}, or null once it is empty: the map then drops the entry. */
    private static Set<Session> without(Set<Session> set, Session session) {
        set.remove(session);
        return set.isEmpty() ? null : set;
    }
    // end::sets[]

    /**
     * Sends {@code text} to every open connection of {@code user}, waiting for none.
     *
     * @return whether {@code user} is connected: the endpoint tells the sender when not
     */
    // tag::direct[]
    public boolean sendTo(String user, String text) {
        Set<Session> sessions = users.get(user);
        if (sessions == null) {
            return false; // <1>
        }
        for (Session session : sessions) {
            if (session.isOpen()) {
                session.sendText(text, Sends.LOG_FAILURE); // <2>
            }
        }
        return true;
    }
    // end::direct[]

    /** {@code session} enters {@code room}, which exists from its first member on. */
    // tag::rooms[]
    void join(String room, Session session) {
        rooms.compute(room, (name, members) -> with(members, session)); // <1>
    }

    /** {@code session} leaves {@code room}; a room without members is no more. */
    void leave(String room, Session session) {
        rooms.computeIfPresent(room, (name, members) -> without(members, session)); // <2>
    }
    // end::rooms[]

    /** Sends {@code text} to every open member of {@code room}, and to no one else. Never blocks. */
    // tag::post[]
    public void post(String room, String text) {
        Set<Session> members = rooms.get(room);
        if (members == null) {
            return;
        }
        for (Session member : members) { // <1>
            if (member.isOpen()) {
                member.sendText(text, Sends.LOG_FAILURE);
            }
        }
    }
    // end::post[]

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
