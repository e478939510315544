package workbook.security;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;
import workbook.server.Sends;

/**
 * Lesson 09: security at the handshake. Rooms as in lesson 06, but a client proves who it is with a
 * signed token (ws://host/?token=...), from a page the server trusts, within limits; and each of
 * its messages is checked against who it is.
 */
public final class SecurityServer extends LessonServer {

    /** What a user's or a room's name may be: 1 to 32 letters, digits, '-' or '_'. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    /** The longest message a client may send, text or binary, in bytes: Jetty closes with 1009 beyond it. */
    public static final int MAX_MESSAGE_BYTES = 2048;
    /** How many messages a connection may send at once, and then how many a second. */
    public static final int MESSAGES_PER_SECOND = 20;
    /** How many connections one user may have open at once: a tab each, say. */
    public static final int MAX_CONNECTIONS_PER_USER = 3;

    private final Clock clock;
    private final Tokens tokens;
    /** The origins (scheme://host:port) of the pages that may open a WebSocket here. */
    private final Set<String> origins = ConcurrentHashMap.newKeySet();
    /** Each connected user's open connections, by name. */
    private final Map<String, Set<Session>> users = new ConcurrentHashMap<>();
    /** Each room's members, by the room's name. */
    private final Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();

    public SecurityServer() {
        this(Clock.systemUTC());
    }

    /** With the clock that tokens and rate limits read: a test's, which moves only when told. */
    public SecurityServer(Clock clock) {
        this.clock = clock;
        this.tokens = new Tokens(clock);
    }

    /** Issues the tokens this server accepts: tokens().issue("alice", Duration.ofMinutes(5)). */
    public Tokens tokens() {
        return tokens;
    }

    Clock clock() {
        return clock;
    }

    /** Lets pages from {@code origin}, e.g. "http://localhost:3000", open a WebSocket here. */
    public void allowOrigin(String origin) {
        origins.add(origin);
    }

    /** Starts, and allows the live page this server serves itself, whichever name the browser used. */
    @Override
    public URI start(String host, int port) throws Exception {
        URI uri = super.start(host, port);
        allowOrigin("http://localhost:" + uri.getPort());
        allowOrigin("http://127.0.0.1:" + uri.getPort());
        return uri;
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        // tag::size[]
        endpoints.setMaxTextMessageSize(MAX_MESSAGE_BYTES); // <1>
        endpoints.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES); // <2>
        // end::size[]
        endpoints.addMapping("/", this::upgrade);
    }

    /** Every check of the upgrade request, before a WebSocket exists: an endpoint, or null and an HTTP error. */
    // tag::upgrade[]
    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!fromAllowedPage(request)) {
            return refuse(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "WebSockets from this page's origin are not allowed here."); // <1>
        }
        String user = tokens.userOf(Request.extractQueryParameters(request).getValue("token")); // <2>
        if (user == null) {
            return refuse(request, response, callback, HttpStatus.UNAUTHORIZED_401,
                    "A valid token, please: ws://host/?token=... (missing, malformed, forged or expired)."); // <3>
        }
        // end::upgrade[]
        // tag::connections[]
        if (connectionsOf(user) >= MAX_CONNECTIONS_PER_USER) {
            return refuse(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                    user + " has " + MAX_CONNECTIONS_PER_USER + " connections open already: close one first."); // <1>
        }
        // end::connections[]
        return new SecurityEndpoint(this, user);
    }

    // tag::origin[]
    /** Whether the request comes from a page we trust, or from no page at all (no Origin). */
    private boolean fromAllowedPage(Request request) {
        List<String> sent = request.getHeaders().getValuesList(HttpHeader.ORIGIN); // <1>
        return sent.isEmpty() || sent.size() == 1 && origins.contains(sent.get(0)); // <2>
    }
    // end::origin[]

    private static Object refuse(Request request, Response response, Callback callback, int status, String why) {
        Response.writeError(request, response, callback, status, why);
        return null; // no endpoint: no WebSocket
    }

    void connected(String user, Session session) {
        users.compute(user, (name, sessions) -> with(sessions, session));
    }

    /** @param itsRooms the rooms the connection was in (its endpoint keeps them): a close looks at no other */
    void disconnected(String user, Session session, Set<String> itsRooms) {
        users.computeIfPresent(user, (name, sessions) -> without(sessions, session));
        for (String room : itsRooms) {
            rooms.computeIfPresent(room, (name, members) -> without(members, session));
        }
    }

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

    void join(String room, Session session) {
        rooms.compute(room, (name, members) -> with(members, session));
    }

    boolean isMember(String room, Session session) {
        return rooms.getOrDefault(room, Set.of()).contains(session);
    }

    /** Sends {@code text} to every open member of {@code room}. Never blocks. */
    void post(String room, String text) {
        for (Session member : rooms.getOrDefault(room, Set.of())) {
            if (member.isOpen()) {
                member.sendText(text, Sends.LOG_FAILURE);
            }
        }
    }

    /** How many connections {@code user} has open now. */
    public int connectionsOf(String user) {
        return users.getOrDefault(user, Set.of()).size();
    }

    public static void main(String[] args) throws Exception {
        run(new SecurityServer(), args);
    }
}
