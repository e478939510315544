package workbook.scaleout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    private static ClientOptions options() {
        // TODO 3: Lettuce's defaults keep every command given while Redis is away, without bound, and
        //  send them all once it is back. Keep reconnecting (autoReconnect), but refuse commands while
        //  disconnected (disconnectedBehavior), and let at most MAX_WAITING_COMMANDS wait for an answer
        //  (requestQueueSize).
        return ClientOptions.builder().build();
    }

    /** Subscribes to the channel: from then on, what any instance publishes comes to {@link #deliver}. */
    private void listen() {
        // TODO 2: add a listener to the subscribing connection (a RedisPubSubAdapter) whose message(channel,
        //  message) passes each message to deliver, then subscribe to CHANNEL. Here, on the thread that
        //  starts the server, waiting for the answer is fine: once start returns, messages come.
    }

    /**
     * Publishes what {@code sender} said: it comes back from Redis to every instance, this one too.
     * If it cannot go out, the sender is told.
     */
    void publish(Session sender, String text) {
        publish(text);
        // TODO 3: when the message cannot go out (the stage completes exceptionally, at once while Redis is
        //  away), send the sender a NotSent("error", ...) in JSON. Never wait for Redis on Jetty's thread.
    }

    /** Appends {@code text} to the stream and publishes it to every instance; completes with its id. */
    public CompletionStage<?> publish(String text) {
        // TODO 1: rather than deliver on this instance only, publish the message in JSON to CHANNEL on the
        //  publishing connection, without waiting (publishing.async()): Redis sends it to every instance.
        // TODO 4: append the text to STREAM and publish it with its id as seq, in one step that no other
        //  instance's command can come between: the script APPEND_AND_PUBLISH (EVAL), keys STREAM and
        //  CHANNEL, arguments the text and HISTORY.
        deliver(Json.write(new Message("message", STREAM, null, text)));
        return CompletableFuture.completedFuture(null);
    }

    /** Sends a message that came from Redis to this instance's clients. On Lettuce's thread. */
    private void deliver(String message) {
        // TODO 4: a client whose replay is on its way gets the live messages after it (its Place's meanwhile);
        //  the live feed may lag behind the replay: a client that resumed gets only what it lacks.
        subscribers.forEach((session, place) -> session.sendText(message, Sends.LOG_FAILURE));
    }

    /** {@code session} has opened: it gets what it missed since {@code resume} (null for a new client), then the live messages. */
    void subscribe(Session session, Resume resume) {
        // TODO 4: a client that resumes (resume is not null) first gets every message after resume.since()
        //  from STREAM (XRANGE, without waiting), in order, then the live messages: no gap, no duplicate,
        //  whichever instance it was on before. When the stream no longer has resume.since(), or
        //  resume.epoch() is not STREAM, it gets a Reset with the last id instead.
        subscribers.put(session, Place.NEW);
    }

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
