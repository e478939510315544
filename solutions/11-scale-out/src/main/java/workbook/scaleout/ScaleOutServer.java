package workbook.scaleout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.LessonServer;
import workbook.server.Sends;

/**
 * Lesson 11: one chat across several instances of the server. What a client says goes to Redis, and
 * from Redis to the clients of every instance, once each, in one order; Redis keeps the latest in a
 * stream, so a client that reconnects to any instance (ws://host/?epoch=E&amp;since=1733450000000-0)
 * gets what it missed.
 */
public final class ScaleOutServer extends LessonServer {

    /** The channel every instance publishes to and listens on. */
    static final String CHANNEL = "workbook:chat";
    /** The stream that keeps the latest messages; its name is the epoch every message carries. */
    static final String STREAM = "workbook:chat:history";
    /** About how many messages the stream keeps: MAXLEN ~ trims whole blocks, so a few more. */
    static final int HISTORY = 500;
    /** How many commands may wait for Redis's answer on one connection before more are refused. */
    static final int MAX_WAITING_COMMANDS = 1_000;
    /** How long to wait between two attempts to reconnect to Redis, unless told otherwise. */
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    /**
     * Appends a text to the stream and publishes it, with the id the stream gave it, as one step:
     * Redis runs a script whole, with no other command in between. KEYS: the stream, the channel;
     * ARGV: the text, the stream's length.
     */
    static final String APPEND_AND_PUBLISH = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'text', ARGV[1])
            redis.call('PUBLISH', KEYS[2], '{"type":"message","epoch":' .. cjson.encode(KEYS[1])
                .. ',"seq":"' .. id .. '","text":' .. cjson.encode(ARGV[1]) .. '}')
            return id
            """;

    /** A message as every client gets it, e.g. {"type":"message","epoch":"workbook:chat:history","seq":"1733450000000-0","text":"hi"}. */
    record Message(String type, String epoch, String seq, String text) {
    }

    /** "Start again from here": what a client gets when the stream no longer has what it missed. */
    record Reset(String type, String epoch, String seq) {
    }

    /** What a client gets when what it said could not go out, e.g. while Redis is away. */
    record NotSent(String type, String text) {
    }

    /** Where a client says it stopped: the epoch and stream id of the last message it saw. */
    record Resume(String epoch, String since) {
    }

    /** Where a client is in the stream. Changed under the lock. */
    private static final class Place {
        /** Where a new client is: it gets every live message. */
        static final Place NEW = new Place(null);

        /** The live messages that came while its replay was on its way; null once it has been sent. */
        List<String> meanwhile;
        /** The id of the last message of its replay, or of its reset; null for a new client. */
        StreamId replayed;

        Place(List<String> meanwhile) {
            this.meanwhile = meanwhile;
        }

        /** Whether the client has yet to get {@code message}: the live feed may lag behind the replay. */
        boolean lacks(String message) {
            return replayed == null || StreamId.of(message).compareTo(replayed) > 0;
        }
    }

    private final RedisURI redis;
    private final Duration reconnectDelay;
    /** The open sessions that get the live messages, each with its place in the stream. */
    private final Map<Session, Place> subscribers = new ConcurrentHashMap<>();
    private ClientResources resources;
    private RedisClient client;
    /** Commands: PUBLISH, the script, XRANGE. */
    private StatefulRedisConnection<String, String> publishing;
    /** Only SUBSCRIBE: once subscribed, a connection is for the messages pushed at it (with RESP2, it may send nothing else). */
    private StatefulRedisPubSubConnection<String, String> subscribing;

    /** An instance that shares the Redis at {@code redis} with the others. */
    public ScaleOutServer(RedisURI redis) {
        this(redis, RECONNECT_DELAY);
    }

    /** An instance that tries to reconnect every {@code reconnectDelay} while Redis is away. */
    public ScaleOutServer(RedisURI redis, Duration reconnectDelay) {
        this.redis = redis;
        this.reconnectDelay = reconnectDelay;
    }

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> {
            Fields query = Request.extractQueryParameters(request);
            String since = query.getValue("since");
            if (since == null) {
                return new ScaleOutEndpoint(this, null); // a new client: the live messages only
            }
            if (!StreamId.FORMAT.matcher(since).matches()) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                        "since is the id of the last message seen: ws://host/?epoch=E&since=1733450000000-0");
                return null;
            }
            return new ScaleOutEndpoint(this, new Resume(query.getValue("epoch"), since));
        });
    }

    /** Connects to Redis, then listens for clients: an instance that cannot reach Redis does not start. */
    @Override
    public URI start(String host, int port) throws Exception {
        resources = ClientResources.builder().reconnectDelay(Delay.constant(reconnectDelay)).build();
        client = RedisClient.create(resources, redis);
        client.setOptions(options());
        try {
            publishing = client.connect();
            subscribing = client.connectPubSub();
            listen();
            return super.start(host, port);
        } catch (Exception e) {
            disconnect();
            throw e;
        }
    }

    /** How the Redis connections behave while Redis is away. */
    // tag::options[]
    private static ClientOptions options() {
        return ClientOptions.builder()
                .autoReconnect(true) // <1>
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) // <2>
                .requestQueueSize(MAX_WAITING_COMMANDS) // <3>
                .build();
    }
    // end::options[]

    /** Subscribes to the channel: from then on, what any instance publishes comes to {@link #deliver}. */
    // tag::listen[]
    private void listen() {
        subscribing.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliver(message); // <1>
            }
        });
        // On the thread that starts the server, not one of Jetty's: once start returns, messages come.
        subscribing.sync().subscribe(CHANNEL); // <2>
    }
    // end::listen[]

    /**
     * Publishes what {@code sender} said: it comes back from Redis to every instance, this one too.
     * If it cannot go out, the sender is told.
     */
    // tag::publish-from-client[]
    void publish(Session sender, String text) {
        publish(text).exceptionally(failure -> { // <1>
            sender.sendText(Json.write(new NotSent("error", "not sent, try again: " + failure.getMessage())),
                    Sends.LOG_FAILURE);
            return null;
        });
    }
    // end::publish-from-client[]

    /** Appends {@code text} to the stream and publishes it to every instance; completes with its id. */
    // tag::publish[]
    public CompletionStage<?> publish(String text) {
        return publishing.async().eval(APPEND_AND_PUBLISH, ScriptOutputType.VALUE, // <1>
                new String[] {STREAM, CHANNEL}, text, String.valueOf(HISTORY));
    }
    // end::publish[]

    /** Sends a message that came from Redis to this instance's clients. On Lettuce's thread. */
    // tag::deliver[]
    private synchronized void deliver(String message) {
        subscribers.forEach((session, place) -> {
            if (place.meanwhile != null) {
                place.meanwhile.add(message); // <1>
            } else if (place.lacks(message)) { // <2>
                session.sendText(message, Sends.LOG_FAILURE);
            }
        });
    }
    // end::deliver[]

    /** {@code session} has opened: it gets what it missed since {@code resume} (null for a new client), then the live messages. */
    // tag::subscribe[]
    synchronized void subscribe(Session session, Resume resume) {
        if (resume == null) {
            subscribers.put(session, Place.NEW);
            return;
        }
        Place place = new Place(new ArrayList<>());
        subscribers.put(session, place); // <1>
        Range<String> fromSince = Range.from(Range.Boundary.including(resume.since()), Range.Boundary.unbounded());
        publishing.async().xrange(STREAM, fromSince).handle((kept, failure) -> { // <2>
            if (failure != null) {
                unsubscribe(session);
                session.close(StatusCode.TRY_AGAIN_LATER, "the history is out of reach: try again later", Callback.NOOP);
            } else {
                catchUp(session, place, resume, kept);
            }
            return null;
        }).exceptionally(thrown -> { // <3>
            Failures.report("The catch-up of a client that resumed", thrown);
            return null;
        });
    }
    // end::subscribe[]

    /** Sends {@code session} what it missed, from the stream, then what came live meanwhile and it lacks. */
    // tag::catch-up[]
    private synchronized void catchUp(Session session, Place place, Resume resume, List<StreamMessage<String, String>> kept) {
        place.replayed = replay(session, resume, kept);
        for (String message : place.meanwhile) {
            if (place.lacks(message)) { // <1>
                session.sendText(message, Sends.LOG_FAILURE);
            }
        }
        place.meanwhile = null; // <2>
    }
    // end::catch-up[]

    /**
     * Sends what the client missed, or a reset when the stream no longer has the message it saw.
     * {@code kept} starts at that message, if the stream has it still.
     *
     * @return the id of the last message the client now has
     */
    // tag::replay[]
    private StreamId replay(Session session, Resume resume, List<StreamMessage<String, String>> kept) {
        StreamId last = kept.isEmpty() ? StreamId.ZERO : StreamId.parse(kept.get(kept.size() - 1).getId());
        if (!STREAM.equals(resume.epoch()) || kept.isEmpty() || !kept.get(0).getId().equals(resume.since())) { // <1>
            session.sendText(Json.write(new Reset("reset", STREAM, last.toString())), Sends.LOG_FAILURE);
            return last;
        }
        for (StreamMessage<String, String> entry : kept.subList(1, kept.size())) { // <2>
            String text = entry.getBody().get("text");
            session.sendText(Json.write(new Message("message", STREAM, entry.getId(), text)), Sends.LOG_FAILURE);
        }
        return last;
    }
    // end::replay[]

    /** {@code session} has closed, whichever way. */
    void unsubscribe(Session session) {
        subscribers.remove(session);
    }

    /** Whether both connections to Redis are up: for the tests, and to see it in JShell. */
    public boolean connectedToRedis() {
        return publishing != null && publishing.isOpen() && subscribing.isOpen();
    }

    /** How many clients get the live messages now. */
    public int subscribers() {
        return subscribers.size();
    }

    /**
     * Drops every connection at once, without a close frame, as a network failure would: for the
     * live page's test, and to try resuming by hand.
     */
    public void dropAll() {
        subscribers.keySet().forEach(Session::disconnect);
    }

    /** Closes every client with 1001, then the connections to Redis. */
    @Override
    public void stop() throws Exception {
        try {
            super.stop();
        } finally {
            disconnect();
        }
    }

    private void disconnect() {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS); // closes both connections
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            client = null;
        }
    }

    /** Starts a Redis and two instances, on port P and P + 1 (8080 and 8081 by default). */
    public static void main(String[] args) throws Exception {
        Instances.run(ScaleOutServer::new, args);
    }
}
