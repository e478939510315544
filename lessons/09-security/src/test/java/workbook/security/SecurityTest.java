package workbook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import workbook.testkit.Close;
import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;

@DisplayName("Lesson 9: Security at the handshake")
class SecurityTest {

    static final Todo TODO_1 = new Todo(1, "SecurityServer.java");
    static final Todo TODO_2 = new Todo(2, "Tokens.java and SecurityServer.java");
    static final Todo TODO_3 = new Todo(3, "SecurityEndpoint.java");
    static final Todo TODO_4_SIZE = new Todo(4, "SecurityServer.java (configure)");
    static final Todo TODO_4_RATE = new Todo(4, "SecurityEndpoint.java");
    static final Todo TODO_4_USERS = new Todo(4, "SecurityServer.java (upgrade)");
    static final Todo ENDPOINT = Todo.given("SecurityEndpoint.java");

    static final ObjectMapper MAPPER = new ObjectMapper();
    /** For upgrade requests whose HTTP answer the test reads: Jetty's client says less about a refusal. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The server's clock: it moves only when a test moves it, so tokens expire without a wait. */
    final TestClock clock = new TestClock();

    @RegisterExtension
    final LessonServerExtension<SecurityServer> lesson = new LessonServerExtension<>(() -> new SecurityServer(clock));

    SecurityServer server() {
        return lesson.server();
    }

    /** A clock that stands still until {@link #advance}. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A token for {@code user}, valid for five minutes of the server's clock. */
    String token(String user) {
        return server().tokens().issue(user, Duration.ofMinutes(5));
    }

    static String query(String token) {
        return "/?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** A connection of {@code user}, with a valid token and no Origin: not from a browser. */
    TestClient connect(String user) {
        return lesson.connect(query(token(user)));
    }

    /** The origin of the live page this server serves: the one page allowed by default. */
    String ownOrigin() {
        return "http://localhost:" + server().page().getPort();
    }

    static ObjectNode json(String... fieldsAndValues) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            node.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return node;
    }

    static void join(TestClient client, String room) {
        client.send(json("type", "join", "room", room).toString());
        JsonNode answer = Json.object(client.nextText("the answer to joining " + room, ENDPOINT), ENDPOINT);
        assertThat(answer).as(ENDPOINT.explain("The answer to joining " + room)).isEqualTo(json("type", "joined", "room", room));
    }

    static String post(String room, String from, String text) {
        return json("type", "post", "room", room, "from", from, "text", text).toString();
    }

    /** {@code client}, a well-behaved user in {@code room}, posts and gets its post back: it is unaffected. */
    static void stillServed(TestClient client, String user, String room, String why, Todo todo) {
        client.send(post(room, user, "still here"));
        JsonNode got = Json.object(client.nextText(user + "'s own post to " + room + ", " + why, todo), todo);
        assertThat(got).as(todo.explain("What " + user + " got after posting to " + room + ", " + why))
                .isEqualTo(json("type", "room", "room", room, "from", user, "text", "still here"));
    }

    /** Asserts that the server closed {@code client} with {@code code} and a reason of at most 123 bytes. */
    static void assertClosed(TestClient client, int code, String why, Todo todo) {
        Close close = client.nextClose("the server to close the connection with " + code + ", " + why, todo);
        assertThat(close.code()).as(todo.explain("The close code, " + why + " (the connection closed with " + close + ")"))
                .isEqualTo(code);
        assertThat(close.reason()).as(todo.explain("The close reason, " + why + ": a few words that say why")).isNotBlank();
        assertThat(close.reason().getBytes(StandardCharsets.UTF_8).length)
                .as(todo.explain("The bytes of the close reason \"" + close.reason() + "\": a close frame has room for 123"))
                .isLessThanOrEqualTo(123);
    }

    /**
     * The HTTP status with which the server answers a WebSocket upgrade to {@code pathAndQuery},
     * with {@code origin} as its Origin header (none if null): 101 (Switching Protocols) when it
     * upgrades, the connection then closed at once.
     */
    int upgradeStatus(String pathAndQuery, String origin, Todo todo) throws Exception {
        URI uri = URI.create("ws://localhost:" + server().page().getPort() + pathAndQuery);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() { })
                    .get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            return fail("The upgrade request to %s failed without an HTTP answer: %s%n  -> %s", uri, e.getCause(), todo);
        } catch (TimeoutException e) {
            return fail("The server did not answer the upgrade request to %s within %d s.%n  -> %s", uri, TestClient.WAIT.toSeconds(), todo);
        }
    }

    /**
     * The HTTP status of an upgrade request written on a plain socket, with an Origin header for each
     * of {@code origins}: Java's and Jetty's clients send one Origin at most.
     */
    int rawUpgradeStatus(String pathAndQuery, List<String> origins) throws Exception {
        int port = server().page().getPort();
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
                + "\r\nSec-WebSocket-Version: 13\r\n");
        origins.forEach(origin -> request.append("Origin: ").append(origin).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (status == null || status.split(" ").length < 2) {
                return fail("The server answered an upgrade request with two Origin headers with \"%s\", not an HTTP status."
                        + "%n  -> %s", status, TODO_1);
            }
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    static String upgraded(int status) {
        return status == 101 ? " (101 means that the server upgraded it)" : "";
    }

    @Nested
    @Tag("origin")
    @DisplayName("Task 1: Refuse an upgrade from a page of another origin, with 403")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Origins {

        @Test
        @Order(1)
        @DisplayName("an upgrade from a foreign page is refused with 403, and a client already connected is unaffected")
        void foreignPage() throws Exception {
            TestClient alice = connect("alice");
            join(alice, "kitchen");

            int status = upgradeStatus(query(token("bob")), "http://evil.example", TODO_1);

            assertThat(status).as(TODO_1.explain("The HTTP status of an upgrade with a valid token from a page at"
                    + " http://evil.example: 403 (Forbidden), as a page of another site must not act for its visitor"
                    + upgraded(status))).isEqualTo(403);
            stillServed(alice, "alice", "kitchen", "after a foreign page was refused", TODO_1);
        }

        @Test
        @Order(2)
        @DisplayName("an origin is allowed only if it is an allowed one exactly, not one that contains or starts with it")
        void exactly() throws Exception {
            String own = ownOrigin();
            for (String origin : List.of(own + ".evil.example", "http://evil.example/?" + own, own + "0",
                    "http://evil.example#" + own, "https://localhost:" + server().page().getPort(), "null")) {
                int status = upgradeStatus(query(token("bob")), origin, TODO_1);
                // The port differs from run to run: the message says <port>, so that a verdict does not.
                String shown = origin.replace(":" + server().page().getPort(), ":<port>");
                assertThat(status).as(TODO_1.explain("The HTTP status of an upgrade from the origin " + shown
                        + ": 403 (Forbidden), as only http://localhost:<port> (and the same on 127.0.0.1) is allowed"
                        + upgraded(status)))
                        .isEqualTo(403);
            }
        }

        @Test
        @Order(3)
        @DisplayName("the server's own page, and a client that sends no Origin, are let in")
        void ownPage() throws Exception {
            assertThat(upgradeStatus(query(token("bob")), ownOrigin(), TODO_1))
                    .as(TODO_1.explain("The HTTP status of an upgrade from the server's own page,"
                            + " http://localhost:<port>: 101 (Switching Protocols)")).isEqualTo(101);
            assertThat(upgradeStatus(query(token("bob")), null, TODO_1))
                    .as(TODO_1.explain("The HTTP status of an upgrade without an Origin header, as a client that is"
                            + " not a browser sends: 101 (Switching Protocols)")).isEqualTo(101);
        }

        @Test
        @Order(4)
        @DisplayName("a page from an origin the server allows is let in")
        void allowed() throws Exception {
            server().allowOrigin("http://localhost:3000");

            assertThat(upgradeStatus(query(token("bob")), "http://localhost:3000", TODO_1))
                    .as(TODO_1.explain("The HTTP status of an upgrade from http://localhost:3000 after"
                            + " allowOrigin(\"http://localhost:3000\"): 101 (Switching Protocols)")).isEqualTo(101);
        }

        @Test
        @Order(5)
        @DisplayName("an upgrade with two Origin headers is refused with 403, whichever comes first")
        void twoOrigins() throws Exception {
            String own = ownOrigin();
            for (List<String> origins : List.of(List.of(own, "http://evil.example"), List.of("http://evil.example", own))) {
                int status = rawUpgradeStatus(query(token("bob")), origins);
                // The server's own origin is named, not written: its port differs every run, and the verdict must not.
                String order = origins.get(0).equals(own) ? "its own page's, then http://evil.example" : "http://evil.example, then its own page's";
                assertThat(status).as(TODO_1.explain("The HTTP status of an upgrade with two Origin headers, " + order
                        + ": 403 (Forbidden), as a request that names two pages comes from no page"
                        + " the server can trust" + upgraded(status))).isEqualTo(403);
            }
        }
    }

    @Nested
    @Tag("token")
    @DisplayName("Task 2: Authenticate with a short-lived signed token, 401 without a valid one")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Tokens {

        @Test
        @Order(1)
        @DisplayName("a valid token opens a connection as the user it names")
        void valid() {
            connect("alice");

            // No wait: a connect returns once the server's onOpen has run.
            assertThat(server().connectionsOf("alice"))
                    .as(TODO_2.explain("alice's connections after a client connected with a token issued to alice")).isEqualTo(1);
        }

        @Test
        @Order(2)
        @DisplayName("an upgrade without a token, or with a malformed one, is refused with 401")
        void missing() throws Exception {
            for (String address : List.of("/", "/?token=", "/?user=alice", "/?token=alice",
                    "/?token=alice.123", "/?token=alice.x.y.z", "/?token=..")) {
                int status = upgradeStatus(address, null, TODO_2);
                assertThat(status).as(TODO_2.explain("The HTTP status of an upgrade request to " + address
                        + ": 401 (Unauthorized), as it has no valid token" + upgraded(status))).isEqualTo(401);
            }
        }

        @Test
        @Order(3)
        @DisplayName("a forged token is refused with 401: another name, a later expiry, or another server's signature")
        void forged() throws Exception {
            String alice = token("alice");
            String[] parts = alice.split("\\.");
            long later = Long.parseLong(parts[1]) + 3600;
            String otherServer = new workbook.security.Tokens(clock).issue("alice", Duration.ofMinutes(5));
            Map<String, String> forgeries = new LinkedHashMap<>();
            forgeries.put("alice's token with mallory's name in it", "mallory." + parts[1] + "." + parts[2]);
            forgeries.put("alice's token with an expiry an hour later", parts[0] + "." + later + "." + parts[2]);
            forgeries.put("a token for alice signed by another server", otherServer);
            forgeries.put("alice's token with its signature cut short", parts[0] + "." + parts[1] + "." + parts[2].substring(1));
            for (Map.Entry<String, String> forgery : forgeries.entrySet()) {
                int status = upgradeStatus(query(forgery.getValue()), null, TODO_2);
                assertThat(status).as(TODO_2.explain("The HTTP status of an upgrade with " + forgery.getKey()
                        + ", which this server did not sign: 401 (Unauthorized)" + upgraded(status))).isEqualTo(401);
            }
        }

        @Test
        @Order(4)
        @DisplayName("an expired token is refused with 401, and a fresh one is accepted")
        void expired() throws Exception {
            String token = server().tokens().issue("alice", Duration.ofMinutes(1));
            clock.advance(Duration.ofSeconds(61));

            int status = upgradeStatus(query(token), null, TODO_2);
            assertThat(status).as(TODO_2.explain("The HTTP status of an upgrade with a token of one minute, 61 s"
                    + " after it was issued: 401 (Unauthorized), as it has expired" + upgraded(status))).isEqualTo(401);
            assertThat(upgradeStatus(query(token("alice")), null, TODO_2))
                    .as(TODO_2.explain("The HTTP status of an upgrade with a token issued now: 101 (Switching Protocols)"))
                    .isEqualTo(101);
        }

        @Test
        @Order(5)
        @DisplayName("refused tokens leave a connected client unaffected")
        void others() throws Exception {
            TestClient alice = connect("alice");
            join(alice, "kitchen");

            upgradeStatus(query("alice.1.forged"), null, TODO_2);

            stillServed(alice, "alice", "kitchen", "after a forged token was refused", TODO_2);
        }
    }

    @Nested
    @Tag("authorise")
    @DisplayName("Task 3: Authorise every message, closing a forged sender or a stranger to the room with 1008")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Authorise {

        @Test
        @Order(1)
        @DisplayName("a post in another user's name closes the sender's connection with 1008; alice is unaffected")
        void forgedSender() {
            TestClient alice = connect("alice");
            TestClient mallory = connect("mallory");
            join(alice, "kitchen");
            join(mallory, "kitchen");

            mallory.send(post("kitchen", "alice", "I owe mallory 100 euros"));

            assertClosed(mallory, 1008, "for mallory's post that says it is from alice", TODO_3);
            stillServed(alice, "alice", "kitchen", "after mallory's post in her name (which must not reach her)", TODO_3);
        }

        @Test
        @Order(2)
        @DisplayName("a post to a room the sender did not join closes its connection with 1008")
        void notAMember() {
            TestClient alice = connect("alice");
            TestClient mallory = connect("mallory");
            join(alice, "kitchen");

            mallory.send(post("kitchen", "mallory", "I am not in the kitchen"));

            assertClosed(mallory, 1008, "for mallory's post to kitchen, which she did not join", TODO_3);
            stillServed(alice, "alice", "kitchen", "after mallory's post to a room she is not in (which must not reach her)", TODO_3);
        }

        @Test
        @Order(3)
        @DisplayName("a post says the sender its token named")
        void sender() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");
            join(alice, "kitchen");
            join(bob, "kitchen");

            bob.send(post("kitchen", "bob", "dinner"));

            JsonNode got = Json.object(alice.nextText("bob's post", TODO_3), TODO_3);
            assertThat(got).as(TODO_3.explain("What alice got when bob posted to kitchen"))
                    .isEqualTo(json("type", "room", "room", "kitchen", "from", "bob", "text", "dinner"));
        }
    }

    @Nested
    @Tag("limits")
    @DisplayName("Task 4: Limit message size (1009), message rate (1008) and connections per user (429)")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Limits {

        @Test
        @Order(1)
        @DisplayName("a message over MAX_MESSAGE_BYTES closes its sender's connection with 1009; alice is unaffected")
        void oversize() {
            TestClient alice = connect("alice");
            join(alice, "kitchen");
            // A plain socket reads the close frame even if the server drops the connection before
            // it has read the whole message (Jetty's client may report only the drop: 1006).
            SlowClient mallory = lesson.connectPlainAt(query(token("mallory")));
            String big = post("kitchen", "mallory", "x".repeat(SecurityServer.MAX_MESSAGE_BYTES));

            mallory.sendAllRefusable(List.of(json("type", "join", "room", "kitchen").toString(), big));

            Close close = mallory.awaitClose("the server to close mallory's connection with 1009 for a message of "
                    + big.length() + " bytes (" + TODO_4_SIZE + ")");
            assertThat(close.code()).as(TODO_4_SIZE.explain("The close code for a message of " + big.length()
                    + " bytes, over MAX_MESSAGE_BYTES (" + SecurityServer.MAX_MESSAGE_BYTES + "): 1009 (message too big);"
                    + " the connection closed with " + close)).isEqualTo(1009);
            stillServed(alice, "alice", "kitchen", "after mallory's oversized message", TODO_4_SIZE);
        }

        @Test
        @Order(2)
        @DisplayName("a flood of 50 messages at once closes its sender's connection with 1008; alice, on her own budget, is unaffected")
        void flood() {
            TestClient alice = connect("alice");
            join(alice, "kitchen");
            // A plain socket writes the whole flood at once: 50 short messages, 2.5 times the limit,
            // in 3 KiB, which the server reads in one go. A server that closes a connection with
            // bytes still unread resets it, and the reset may overtake its close frame.
            SlowClient mallory = lesson.connectPlainAt(query(token("mallory")));
            List<String> flood = new ArrayList<>();
            flood.add(json("type", "join", "room", "attic").toString());
            flood.addAll(Collections.nCopies(49, post("attic", "mallory", "spam")));

            mallory.sendAllRefusable(flood);

            Close close = mallory.awaitClose("the server to close mallory's connection with 1008 for 50 messages at once,"
                    + " over MESSAGES_PER_SECOND (" + SecurityServer.MESSAGES_PER_SECOND + "; " + TODO_4_RATE + ")");
            assertThat(close.code()).as(TODO_4_RATE.explain("The close code for 50 messages at once, over"
                    + " MESSAGES_PER_SECOND: 1008 (policy violation); the connection closed with " + close)).isEqualTo(1008);
            assertThat(close.reason()).as(TODO_4_RATE.explain("The close reason for a flood: a few words that say why")).isNotBlank();
            stillServed(alice, "alice", "kitchen", "after mallory's flood: each connection has a budget of its own", TODO_4_RATE);
        }

        @Test
        @Order(3)
        @DisplayName("a burst within MESSAGES_PER_SECOND passes, and the budget comes back with time")
        void withinTheLimit() {
            TestClient alice = connect("alice");
            join(alice, "kitchen");
            List<String> posts = new ArrayList<>();
            for (int i = 1; i < SecurityServer.MESSAGES_PER_SECOND; i++) {
                posts.add(post("kitchen", "alice", "post " + i));
            }
            posts.forEach(alice::send);
            for (int i = 1; i < SecurityServer.MESSAGES_PER_SECOND; i++) {
                JsonNode got = Json.object(alice.nextText("alice's post " + i + " of a burst within the limit", TODO_4_RATE), TODO_4_RATE);
                assertThat(got.path("text").asText()).as(TODO_4_RATE.explain("The text of alice's post " + i
                        + ": the join and " + (SecurityServer.MESSAGES_PER_SECOND - 1) + " posts are within the limit"))
                        .isEqualTo("post " + i);
            }

            clock.advance(Duration.ofSeconds(1));

            stillServed(alice, "alice", "kitchen", "a second later (her budget of the second before spent)", TODO_4_RATE);
        }

        @Test
        @Order(4)
        @DisplayName("a user's connection beyond MAX_CONNECTIONS_PER_USER is refused with 429; other users, and a later one, are not")
        void connections() throws Exception {
            List<TestClient> tabs = new ArrayList<>();
            for (int i = 0; i < SecurityServer.MAX_CONNECTIONS_PER_USER; i++) {
                tabs.add(connect("alice"));
            }

            int status = upgradeStatus(query(token("alice")), null, TODO_4_USERS);
            assertThat(status).as(TODO_4_USERS.explain("The HTTP status of alice's upgrade with "
                    + SecurityServer.MAX_CONNECTIONS_PER_USER + " connections open, MAX_CONNECTIONS_PER_USER:"
                    + " 429 (Too Many Requests)" + upgraded(status))).isEqualTo(429);
            assertThat(upgradeStatus(query(token("bob")), null, TODO_4_USERS))
                    .as(TODO_4_USERS.explain("The HTTP status of bob's upgrade meanwhile: 101, the limit is per user"))
                    .isEqualTo(101);

            tabs.get(0).close();
            assertThat(server().connectionsOf("alice"))
                    .as(TODO_4_USERS.explain("alice's connections after she closed one")).isEqualTo(SecurityServer.MAX_CONNECTIONS_PER_USER - 1);
            assertThat(upgradeStatus(query(token("alice")), null, TODO_4_USERS))
                    .as(TODO_4_USERS.explain("The HTTP status of alice's upgrade after she closed one of her connections: 101"))
                    .isEqualTo(101);
        }

        @Test
        @Order(5)
        @DisplayName("every message counts against the rate, joins and malformed ones too: a flood of them closes with 1008")
        void everyMessageCounts() {
            // No post at all: a limit that counts posts only lets this flood through.
            SlowClient mallory = lesson.connectPlainAt(query(token("mallory")));
            List<String> flood = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                flood.add(json("type", "join", "room", "room" + i).toString());
                flood.add("not JSON " + i);
            }

            mallory.sendAllRefusable(flood);

            Close close = mallory.awaitClose("the server to close mallory's connection with 1008 for 50 messages at once, 25 joins"
                    + " and 25 malformed ones, over MESSAGES_PER_SECOND (" + SecurityServer.MESSAGES_PER_SECOND + "): every message"
                    + " of a connection counts, not its posts only (" + TODO_4_RATE + ")");
            assertThat(close.code()).as(TODO_4_RATE.explain("The close code for 50 joins and malformed messages at once: 1008"
                    + " (policy violation), as for posts; the connection closed with " + close)).isEqualTo(1008);
        }

        @Test
        @Order(6)
        @DisplayName("a binary message over MAX_MESSAGE_BYTES closes with 1009, a smaller one with 1003: the server reads text only")
        void binary() {
            SlowClient mallory = lesson.connectPlainAt(query(token("mallory")));
            mallory.sendRefusable(new byte[SecurityServer.MAX_MESSAGE_BYTES + 1]);
            Close close = mallory.awaitClose("the server to close mallory's connection with 1009 for a binary message of "
                    + (SecurityServer.MAX_MESSAGE_BYTES + 1) + " bytes (" + TODO_4_SIZE + ")");
            assertThat(close.code()).as(TODO_4_SIZE.explain("The close code for a binary message of " + (SecurityServer.MAX_MESSAGE_BYTES + 1)
                    + " bytes, over MAX_MESSAGE_BYTES: 1009 (message too big), before the server reads it all; Jetty keeps a limit"
                    + " for binary messages apart from the one for text; the connection closed with " + close)).isEqualTo(1009);

            TestClient eve = connect("eve");
            eve.send(new byte[] {1, 2, 3});
            assertThat(eve.nextClose("a close with 1003 (cannot accept this data) for a binary message", ENDPOINT).code())
                    .as(ENDPOINT.explain("The close code for a small binary message, which nobody here reads")).isEqualTo(1003);
        }

        @Test
        @Order(7)
        @DisplayName("a connection may be in 100 rooms: a join of one more gets an error")
        void roomsPerConnection() {
            TestClient alice = connect("alice");
            for (int i = 1; i <= SecurityEndpoint.MAX_ROOMS; i++) {
                if (i % (SecurityServer.MESSAGES_PER_SECOND - 1) == 0) {
                    clock.advance(Duration.ofSeconds(1)); // within the rate limit
                }
                join(alice, "room" + i);
            }
            clock.advance(Duration.ofSeconds(1));
            alice.send(json("type", "join", "room", "one-too-many").toString());
            JsonNode answer = Json.object(alice.nextText("an error for a join of a 101st room", ENDPOINT), ENDPOINT);
            assertThat(answer.path("type").asText()).as(ENDPOINT.explain("The type of the answer to alice's join of a 101st room,"
                    + " over the bound of " + SecurityEndpoint.MAX_ROOMS + " rooms a connection: " + answer)).isEqualTo("error");
            stillServed(alice, "alice", "room1", "after her join of a 101st room was refused", ENDPOINT);
        }
    }
}
