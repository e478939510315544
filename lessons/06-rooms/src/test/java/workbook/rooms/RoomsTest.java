package workbook.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workbook.testkit.Background.inBackground;
import static workbook.testkit.Background.pushWhile;
import static workbook.testkit.Background.rethrowFailure;
import static workbook.testkit.Eventually.eventually;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

import workbook.testkit.FakeSession;
import workbook.testkit.Json;
import workbook.testkit.LessonServerExtension;
import workbook.testkit.SlowClient;
import workbook.testkit.TestClient;
import workbook.testkit.Todo;
import workbook.testkit.WatchedCall;

@DisplayName("Lesson 6: Targeted sends and rooms")
class RoomsTest {

    static final Todo TODO_1 = new Todo(1, "RoomsServer.java");
    static final Todo TODO_2 = new Todo(2, "RoomsServer.java");
    static final Todo TODO_3 = new Todo(3, "RoomsServer.java");
    static final Todo TODO_4 = new Todo(4, "RoomsServer.java");
    static final Todo ENDPOINT = Todo.given("RoomsEndpoint.java");

    static final ObjectMapper MAPPER = new ObjectMapper();
    /** For upgrade requests whose HTTP answer the test reads: Jetty's client says less about a refusal. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final LessonServerExtension<RoomsServer> lesson = new LessonServerExtension<>(RoomsServer::new);

    RoomsServer server() {
        return lesson.server();
    }

    /** A connection of {@code user}, named in its address as a client does: /?user=alice. */
    TestClient connect(String user) {
        return lesson.connect("/?user=" + user);
    }

    /** A JSON object from fields and values in turn: json("type", "joined", "room", "kitchen"). */
    static ObjectNode json(String... fieldsAndValues) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            node.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return node;
    }

    static JsonNode nextJson(TestClient client, String expected, Todo todo) {
        return Json.object(client.nextText(expected, todo), todo);
    }

    /** Sends a join and reads its answer, which comes once the server has run join(). */
    static void join(TestClient client, String room) {
        client.send(json("type", "join", "room", room).toString());
        assertThat(nextJson(client, "the answer to joining " + room, ENDPOINT)).as(ENDPOINT.explain("The answer to joining " + room))
                .isEqualTo(json("type", "joined", "room", room));
    }

    static void leave(TestClient client, String room) {
        client.send(json("type", "leave", "room", room).toString());
        assertThat(nextJson(client, "the answer to leaving " + room, ENDPOINT)).as(ENDPOINT.explain("The answer to leaving " + room))
                .isEqualTo(json("type", "left", "room", room));
    }

    static void direct(TestClient from, String to, String text) {
        from.send(json("type", "direct", "to", to, "text", text).toString());
    }

    static void post(TestClient from, String room, String text) {
        from.send(json("type", "post", "room", room, "text", text).toString());
    }

    /**
     * The HTTP status with which the server answers a WebSocket upgrade to {@code pathAndQuery}: 101
     * (Switching Protocols) when it upgrades, the connection then closed at once.
     */
    int upgradeStatus(String pathAndQuery) throws Exception {
        URI uri = URI.create("ws://localhost:" + server().page().getPort() + pathAndQuery);
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                    .get(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            return fail("The upgrade request to %s failed without an HTTP answer: %s%n  -> %s", uri, e.getCause(), TODO_1);
        } catch (TimeoutException e) {
            return fail("The server did not answer the upgrade request to %s within %d s.%n  -> %s", uri, TestClient.WAIT.toSeconds(), TODO_1);
        }
    }

    @Nested
    @Tag("users")
    @DisplayName("Task 1: Name each connection, and know each user's connections")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Users {

        @Test
        @Order(1)
        @DisplayName("a client named alice in its address is counted as alice's connection")
        void named() {
            connect("alice");

            // No wait: a connect returns once the server's onOpen has run.
            assertThat(server().connectionsOf("alice"))
                    .as(TODO_1.explain("alice's connections after a client connected to /?user=alice")).isEqualTo(1);
            assertThat(server().users()).as(TODO_1.explain("The users the server knows after alice connected"))
                    .isEqualTo(Set.of("alice"));
        }

        @Test
        @Order(2)
        @DisplayName("a user with two tabs has two connections, and is forgotten once both are closed")
        void twoTabs() {
            TestClient first = connect("alice");
            TestClient second = connect("alice");
            assertThat(server().connectionsOf("alice"))
                    .as(TODO_1.explain("alice's connections with two tabs open: a name may have several")).isEqualTo(2);

            first.close();
            assertThat(server().connectionsOf("alice"))
                    .as(TODO_1.explain("alice's connections after one of her two tabs closed")).isEqualTo(1);
            second.close();
            assertThat(server().users())
                    .as(TODO_1.explain("The users the server knows once alice's last tab closed")).isEmpty();
        }

        @Test
        @Order(3)
        @DisplayName("a user whose connection drops without a close frame is forgotten")
        void vanished() {
            connect("bob");
            TestClient alice = connect("alice");
            assertThat(server().users()).as(TODO_1.explain("The users the server knows after alice and bob connected"))
                    .isEqualTo(Set.of("alice", "bob"));

            alice.vanish();

            assertThat(server().users())
                    .as(TODO_1.explain("The users the server knows after alice's connection dropped")).isEqualTo(Set.of("bob"));
        }

        @Test
        @Order(4)
        @DisplayName("an upgrade request without a valid name is refused with 400, before any WebSocket opens")
        void refused() throws Exception {
            for (String address : List.of("/", "/?user=", "/?usr=alice", "/?user=al%20ice", "/?user=" + "a".repeat(33))) {
                int status = upgradeStatus(address);
                assertThat(status).as(TODO_1.explain("The HTTP status of an upgrade request to " + address
                        + ": 400 (Bad Request) without a name of 1 to 32 letters, digits, - or _; "
                        + (status == 101 ? "101 means that the server upgraded it" : "")))
                        .isEqualTo(400);
            }
            assertThat(upgradeStatus("/?user=Alice_2-b")).as(TODO_1.explain("The HTTP status of an upgrade request to"
                    + " /?user=Alice_2-b, a valid name: 101 (Switching Protocols)")).isEqualTo(101);
        }

        @Test
        @Order(5)
        @DisplayName("a tab that opens while the user's last other tab closes is kept")
        void openWhileTheLastCloses() {
            FakeSession oldTab = new FakeSession("alice's old tab");
            FakeSession newTab = new FakeSession("alice's new tab");
            server().connected("alice", oldTab.session());

            // The new tab's connected() is stopped in the middle, where it looks at the session (a
            // set's add), while the old tab's disconnected() runs: the order that loses an add made
            // in two steps, every time. A server that changes the entry atomically makes the second
            // call wait for the first, and the test then lets the first go on.
            newTab.holdDuring("connected(\"alice\", new tab)", () -> server().connected("alice", newTab.session()))
                    .meanwhile("disconnected(\"alice\", old tab)", () -> server().disconnected("alice", oldTab.session(), Set.of()));

            assertThat(server().connectionsOf("alice")).as(TODO_1.explain("alice's connections after her new tab opened while"
                    + " her only other tab closed, at the same moment: a set that disconnected dropped from the map as empty"
                    + " must not get the new tab afterwards (change the map's entry and its set in one atomic step)"))
                    .isEqualTo(1);
            assertThat(server().users()).as(TODO_1.explain("The users after that")).isEqualTo(Set.of("alice"));
        }
    }

    @Nested
    @Tag("direct")
    @DisplayName("Task 2: A direct message to one user, in every tab")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Direct {

        @Test
        @Order(1)
        @DisplayName("a direct message from alice reaches bob, saying whom it is from")
        void reachesTheUser() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");

            direct(alice, "bob", "hi Bob, Привет 👋");

            assertThat(nextJson(bob, "alice's direct message to bob", TODO_2)).as(TODO_2.explain("What bob received"))
                    .isEqualTo(json("type", "direct", "from", "alice", "text", "hi Bob, Привет 👋"));
        }

        @Test
        @Order(2)
        @DisplayName("a user with two tabs gets a direct message in both")
        void bothTabs() {
            TestClient alice = connect("alice");
            List<TestClient> bobTabs = List.of(connect("bob"), connect("bob"));

            direct(alice, "bob", "for both tabs");

            for (int tab = 0; tab < bobTabs.size(); tab++) {
                assertThat(nextJson(bobTabs.get(tab), "alice's direct message in bob's tab " + (tab + 1) + " of 2", TODO_2))
                        .as(TODO_2.explain("What bob's tab " + (tab + 1) + " of 2 received"))
                        .isEqualTo(json("type", "direct", "from", "alice", "text", "for both tabs"));
            }
        }

        @Test
        @Order(3)
        @DisplayName("nobody but the addressee gets it, the sender included")
        void onlyTheAddressee() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");
            TestClient carol = connect("carol");

            direct(alice, "bob", "for bob only");
            // From the same connection, so handled after the first: what comes first to carol and to
            // alice came before these.
            direct(alice, "carol", "carol's turn");
            direct(alice, "alice", "a note to self");

            nextJson(bob, "alice's direct message to bob", TODO_2);
            assertThat(nextJson(carol, "alice's direct message to carol", TODO_2))
                    .as(TODO_2.explain("What carol received first, after alice wrote to bob and then to her"))
                    .isEqualTo(json("type", "direct", "from", "alice", "text", "carol's turn"));
            assertThat(nextJson(alice, "alice's note to herself", TODO_2))
                    .as(TODO_2.explain("What alice received first, after she wrote to bob and then to herself"))
                    .isEqualTo(json("type", "direct", "from", "alice", "text", "a note to self"));
        }

        @Test
        @Order(4)
        @DisplayName("a message to a user who is not connected gets an error back, and the connection stays open")
        void unknownUser() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");

            direct(alice, "nobody-here", "hello?");

            JsonNode error = nextJson(alice, "an error for the message to nobody-here, who is not connected (sendTo returns false)", TODO_2);
            assertThat(error.path("type").asText()).as(TODO_2.explain("The type of the answer to a message to nobody-here: " + error))
                    .isEqualTo("error");
            direct(alice, "bob", "still here");
            assertThat(nextJson(bob, "alice's message to bob after her error", TODO_2))
                    .as(TODO_2.explain("What bob received after alice wrote to nobody-here, then to him"))
                    .isEqualTo(json("type", "direct", "from", "alice", "text", "still here"));
        }

        @Test
        @Order(5)
        @DisplayName("malformed JSON or an unknown type gets an error back, and the connection stays open")
        void badInput() {
            TestClient alice = connect("alice");

            for (String bad : List.of("hello", "{\"type\":", "[1,2]", "{\"to\":\"bob\"}", "{\"type\":\"dance\"}",
                    "{\"type\":\"direct\",\"text\":\"to whom?\"}", "{\"type\":\"join\"}")) {
                alice.send(bad);
                JsonNode answer = nextJson(alice, "an error for the message " + bad, ENDPOINT);
                assertThat(answer.path("type").asText()).as(ENDPOINT.explain("The type of the answer to " + bad + ": " + answer))
                        .isEqualTo("error");
            }
        }

        @Test
        @Order(6)
        @DisplayName("a binary message closes the connection with 1003: the server reads text only")
        void binaryRefused() {
            TestClient alice = connect("alice");

            alice.send(new byte[] {1, 2, 3});

            assertThat(alice.nextClose("a close with 1003 (cannot accept this data) for a binary message", ENDPOINT).code())
                    .as(ENDPOINT.explain("The close code for a binary message, which nobody here reads")).isEqualTo(1003);
        }
    }

    @Nested
    @Tag("rooms")
    @DisplayName("Task 3: Join and leave rooms; a room lasts while it has members")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Rooms {

        @Test
        @Order(1)
        @DisplayName("a client that joins a room is a member until it leaves, and the room is gone then")
        void joinAndLeave() {
            TestClient alice = connect("alice");

            join(alice, "kitchen");
            // The answer comes once join() has returned: no wait.
            assertThat(server().membersOf("kitchen")).as(TODO_3.explain("The members of kitchen after alice joined")).isEqualTo(1);

            leave(alice, "kitchen");
            assertThat(server().rooms()).as(TODO_3.explain("The rooms after alice, kitchen's only member, left it: an empty room is no more"))
                    .isEmpty();
        }

        @Test
        @Order(2)
        @DisplayName("a room lasts as long as it has members")
        void lastsWhileMembers() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");
            join(alice, "kitchen");
            join(bob, "kitchen");
            join(bob, "garden");
            assertThat(server().membersOf("kitchen")).as(TODO_3.explain("The members of kitchen after alice and bob joined")).isEqualTo(2);
            assertThat(server().rooms()).as(TODO_3.explain("The rooms after joins of kitchen and garden"))
                    .isEqualTo(Set.of("kitchen", "garden"));

            leave(alice, "kitchen");
            assertThat(server().membersOf("kitchen")).as(TODO_3.explain("The members of kitchen after alice left, bob still in")).isEqualTo(1);
            leave(bob, "kitchen");
            assertThat(server().rooms()).as(TODO_3.explain("The rooms once kitchen's last member left it")).isEqualTo(Set.of("garden"));
        }

        @Test
        @Order(3)
        @DisplayName("a connection that ends leaves every room it was in, and an emptied room is gone")
        void closeLeaves() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");
            join(alice, "kitchen");
            join(alice, "garden");
            join(bob, "kitchen");

            alice.close();
            assertThat(server().rooms())
                    .as(TODO_3.explain("The rooms after alice, in kitchen and garden, closed her connection (bob is in kitchen)"))
                    .isEqualTo(Set.of("kitchen"));
            assertThat(server().membersOf("kitchen")).as(TODO_3.explain("The members of kitchen after alice closed")).isEqualTo(1);

            bob.vanish();
            assertThat(server().rooms())
                    .as(TODO_3.explain("The rooms after bob's connection dropped, without a close frame")).isEmpty();
        }

        @Test
        @Order(4)
        @DisplayName("a join while the room's last member leaves is kept")
        void joinWhileTheLastLeaves() {
            FakeSession bob = new FakeSession("bob");
            FakeSession alice = new FakeSession("alice");
            server().join("kitchen", bob.session());

            // alice's join is stopped in the middle, where it looks at her session (a set's add),
            // while bob leaves: the order that loses a join made in two steps, every time. A server
            // that changes the room atomically makes bob's leave wait, and the test then lets her go on.
            alice.holdDuring("join(\"kitchen\", alice)", () -> server().join("kitchen", alice.session()))
                    .meanwhile("leave(\"kitchen\", bob)", () -> server().leave("kitchen", bob.session()));

            assertThat(server().membersOf("kitchen")).as(TODO_3.explain("The members of kitchen after alice joined while bob,"
                    + " its only member, left, at the same moment: a set that leave dropped from the map as empty must not"
                    + " get alice afterwards (change the room's entry and its set in one atomic step)"))
                    .isEqualTo(1);
            assertThat(server().rooms()).as(TODO_3.explain("The rooms after that")).isEqualTo(Set.of("kitchen"));
        }

        @Test
        @Order(5)
        @DisplayName("a close looks at the connection's own rooms, not at every room of the server")
        void closeCostsItsOwnRooms() {
            FakeSession alice = new FakeSession("alice");
            FakeSession bob = new FakeSession("bob");
            server().connected("alice", alice.session());
            server().connected("bob", bob.session());
            for (int i = 0; i < 200; i++) {
                server().join("room" + i, bob.session());
            }
            server().join("kitchen", alice.session());
            server().join("garden", alice.session());

            // Work counted, not timed: each room a close looks into asks the set for alice's session.
            int before = alice.looks();
            server().disconnected("alice", alice.session(), Set.of("kitchen", "garden"));
            int looks = alice.looks() - before;

            assertThat(server().rooms()).as(TODO_3.explain("The rooms after alice, in kitchen and garden, closed (bob is in 200 others)"))
                    .hasSize(200).doesNotContain("kitchen", "garden");
            if (looks > 20) {
                fail("Closing alice's connection, in 2 rooms, looked for her session %d times, while bob is in 200 other"
                        + " rooms: a close must cost the rooms the connection is in (itsRooms, from its endpoint), not every"
                        + " room of the server, or each close gets slower as others join rooms.%n  -> %s", looks, TODO_3);
            }
        }

        @Test
        @Order(6)
        @DisplayName("a connection may be in 100 rooms; a join of one more gets an error, and after a leave it may join again")
        void roomsPerConnection() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");
            for (int i = 1; i <= RoomsEndpoint.MAX_ROOMS; i++) {
                join(alice, "room" + i);
            }
            join(alice, "room1"); // a room it is in already is no new room

            alice.send(json("type", "join", "room", "one-too-many").toString());
            JsonNode answer = nextJson(alice, "an error for a join of a 101st room", ENDPOINT);
            assertThat(answer.path("type").asText()).as(ENDPOINT.explain("The type of the answer to alice's join of a 101st room,"
                    + " over the bound of " + RoomsEndpoint.MAX_ROOMS + " rooms a connection: " + answer)).isEqualTo("error");
            assertThat(server().rooms()).as(TODO_3.explain("The rooms after alice joined 100 and was refused a 101st"))
                    .hasSize(RoomsEndpoint.MAX_ROOMS).doesNotContain("one-too-many");
            join(bob, "one-too-many"); // the bound is a connection's: bob has his own

            leave(alice, "room1");
            join(alice, "room101");
            assertThat(server().membersOf("room101")).as(TODO_3.explain("The members of room101, which alice joined after she left"
                    + " one of her 100 rooms")).isEqualTo(1);
        }

        @Test
        @Order(7)
        @DisplayName("a room's name is 1 to 64 characters: a longer one gets an error")
        void roomNameLength() {
            TestClient alice = connect("alice");
            String longest = "k".repeat(Messages.MAX_ROOM_NAME);
            join(alice, longest);

            for (String name : List.of(longest + "k", "k".repeat(65_000), "")) {
                alice.send(json("type", "join", "room", name).toString());
                JsonNode answer = nextJson(alice, "an error for a join of a room named with " + name.length() + " characters", ENDPOINT);
                assertThat(answer.path("type").asText()).as(ENDPOINT.explain("The type of the answer to a join of a room named with "
                        + name.length() + " characters: " + answer)).isEqualTo("error");
            }
            assertThat(server().rooms()).as(TODO_3.explain("The rooms after alice joined one of " + Messages.MAX_ROOM_NAME
                    + " characters, and was refused longer names")).isEqualTo(Set.of(longest));
        }
    }

    @Nested
    @Tag("post")
    @DisplayName("Task 4: A post to a room reaches its members only")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Post {

        /** Members that stay in the room, and others that come and go, in the test of churn. */
        static final int STAYERS = 10;
        static final int PASSERS = 10;

        @Test
        @Order(1)
        @DisplayName("a post reaches every member of the room, the sender included")
        void reachesMembers() {
            TestClient alice = connect("alice");
            TestClient bob = connect("bob");
            join(alice, "kitchen");
            join(bob, "kitchen");

            post(alice, "kitchen", "dinner is ready");

            for (TestClient member : List.of(alice, bob)) {
                assertThat(nextJson(member, "alice's post to kitchen", TODO_4))
                        .as(TODO_4.explain("What each member of kitchen received after alice posted to it"))
                        .isEqualTo(json("type", "room", "room", "kitchen", "from", "alice", "text", "dinner is ready"));
            }
        }

        @Test
        @Order(2)
        @DisplayName("a post does not reach who is in another room, or in none")
        void notToOthers() {
            TestClient alice = connect("alice");
            TestClient carol = connect("carol");
            TestClient dave = connect("dave");
            join(alice, "kitchen");
            join(carol, "garden");

            post(alice, "kitchen", "dinner is ready");
            // From the same connection, so handled after the post: a post that reached carol or dave
            // would come before these.
            direct(alice, "carol", "are you coming?");
            direct(alice, "dave", "are you coming?");

            nextJson(alice, "alice's post to kitchen", TODO_4);
            for (String name : List.of("carol", "dave")) {
                TestClient other = name.equals("carol") ? carol : dave;
                assertThat(nextJson(other, "alice's direct message to " + name, TODO_4))
                        .as(TODO_4.explain("What " + name + (name.equals("carol") ? ", in garden," : ", in no room,")
                                + " received first after alice posted to kitchen: a post must reach the room's members only"))
                        .isEqualTo(json("type", "direct", "from", "alice", "text", "are you coming?"));
            }
        }

        @Test
        @Order(3)
        @DisplayName("of a user's two tabs, only the one in the room gets its posts")
        void theTabInTheRoom() {
            TestClient inKitchen = connect("alice");
            TestClient elsewhere = connect("alice");
            TestClient bob = connect("bob");
            join(inKitchen, "kitchen");
            join(bob, "kitchen");

            post(bob, "kitchen", "who took the bread?");
            direct(bob, "alice", "it was you");

            nextJson(inKitchen, "bob's post to kitchen, in alice's tab that joined it", TODO_4);
            assertThat(nextJson(elsewhere, "bob's direct message to alice", TODO_4))
                    .as(TODO_4.explain("What alice's other tab, not in kitchen, received first after bob posted there:"
                            + " membership is a connection's, not a user's"))
                    .isEqualTo(json("type", "direct", "from", "bob", "text", "it was you"));
        }

        @Test
        @Order(4)
        @DisplayName("post(room, text) from Java reaches every member")
        void fromJava() {
            List<TestClient> members = List.of(connect("alice"), connect("bob"));
            members.forEach(member -> join(member, "kitchen"));

            server().post("kitchen", "news for the kitchen");

            for (TestClient member : members) {
                assertThat(member.nextText("the post \"news for the kitchen\"", TODO_4))
                        .as(TODO_4.explain("What each member received after server.post(\"kitchen\", ...)"))
                        .isEqualTo("news for the kitchen");
            }
        }

        @Test
        @Order(5)
        @DisplayName("posting to a room one is not in gets an error back")
        void notAMember() {
            TestClient alice = connect("alice");

            post(alice, "kitchen", "let me in");

            JsonNode answer = nextJson(alice, "an error for a post to kitchen, which alice has not joined", ENDPOINT);
            assertThat(answer.path("type").asText()).as(ENDPOINT.explain("The type of the answer to a post to a room one is not in: " + answer))
                    .isEqualTo("error");
        }

        @Test
        @Order(6)
        @DisplayName("a post does not wait for a member that reads nothing: the others get it at once")
        void slowMember() throws Throwable {
            SlowClient stalled = lesson.connectSlow("/?user=stalled");
            stalled.send(json("type", "join", "room", "kitchen").toString());
            stalled.nextText("the answer to joining kitchen", ENDPOINT);
            TestClient bob = connect("bob");
            join(bob, "kitchen");
            // Far more than the stalled member's network takes (a few KiB): a send to it waits.
            String big = "x".repeat(256 * 1024);

            // Whether the post waits is seen on its thread at once: no time is given it to return.
            WatchedCall posting = new WatchedCall(RoomsServer.class, "post", () -> server().post("kitchen", big));
            try {
                if (posting.waits(TODO_4)) {
                    fail("post(\"kitchen\", 256 KiB) waits, while a member of kitchen reads nothing: a post must queue each"
                            + " member's send (sendText with a callback) and wait for none of them, or one stalled member stops"
                            + " the room.%n  -> %s", TODO_4);
                }
            } finally {
                stalled.close();
                posting.end();
            }
            assertThat(bob.nextText("the 256 KiB post to kitchen", TODO_4)).as(TODO_4.explain("What bob received after the post to"
                    + " kitchen, where another member reads nothing")).isEqualTo(big);
        }

        @Test
        @Order(7)
        @DisplayName("a post goes on through the room while another thread joins it")
        void joinDuringAPost() throws Throwable {
            FakeSession newcomer = new FakeSession("newcomer");
            // At the walk's first send another thread joins the room: the walk goes on through a set
            // changed under it, on every run, not when Jetty's threads happen to meet it.
            FakeSession.Walk walk = FakeSession.meetingAWalk(3, "join(\"lobby\", newcomer)",
                    () -> server().join("lobby", newcomer.session()));
            walk.members().forEach(member -> server().join("lobby", member.session()));

            try {
                server().post("lobby", "tick");
            } catch (ConcurrentModificationException e) {
                // The walk throws, in post, but the fix is where the room's set is made.
                fail("Your code threw %s%n  in post, walking the room's members while another thread joined the room."
                        + " The set of a room's members must be one that may be changed during a walk: a concurrent set,"
                        + " made where a room is made, in join.%n  -> %s", e, TODO_3);
            }
            walk.rethrowFailure();

            for (FakeSession member : walk.members()) {
                assertThat(member.sent()).as(TODO_4.explain("What each of the 3 members received of a post during which"
                        + " another joined")).containsExactly("tick");
            }
            assertThat(server().membersOf("lobby")).as(TODO_3.explain("The members of lobby after a fourth joined during a post"))
                    .isEqualTo(4);
        }

        @Test
        @Order(8)
        @DisplayName("posts go on while members come and go on Jetty's threads")
        void churn() throws Throwable {
            // Members make each walk through the room long enough that the posts meet the churn.
            List<TestClient> stayers = new ArrayList<>();
            for (int i = 0; i < STAYERS; i++) {
                TestClient stayer = connect("stayer" + i).skipping("tick");
                join(stayer, "lobby");
                stayers.add(stayer);
            }
            // Jetty's threads add to and remove from the room while this thread walks it, again and
            // again (the test before makes that meeting happen on every run).
            CompletableFuture<Void> comings = inBackground(() -> {
                for (int i = 0; i < PASSERS; i++) {
                    TestClient passing = connect("passer").skipping("tick");
                    join(passing, "lobby");
                    if (i % 2 == 0) {
                        passing.close();
                    } else {
                        passing.vanish();
                    }
                }
            });
            // Posts all through the churn, so that every coming and going meets a walk of the room.
            try {
                pushWhile(comings, stayers, () -> server().post("lobby", "tick"));
            } catch (ConcurrentModificationException e) {
                // The walk throws, in post, but the fix is where the room's set is made.
                fail("Your code threw %s%n  in post, walking the room's members while Jetty's threads joined and left it."
                        + " The set of a room's members must be one that may be changed during a walk: a concurrent set,"
                        + " made where a room is made, in join.%n  -> %s", e, TODO_3);
            }
            rethrowFailure(comings);

            eventually(() -> assertThat(server().membersOf("lobby"))
                    .as(TODO_3.explain("The members of lobby after " + PASSERS + " others came and went")).isEqualTo(STAYERS));
            server().post("lobby", "after the churn");
            for (TestClient stayer : stayers) {
                assertThat(stayer.nextText("the post \"after the churn\"", TODO_4))
                        .as(TODO_4.explain("What each member received after others came and went")).isEqualTo("after the churn");
            }
        }
    }
}
