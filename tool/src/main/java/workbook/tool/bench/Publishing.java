package workbook.tool.bench;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import workbook.server.LessonServer;

/**
 * How the bench makes one lesson's server broadcast, and reads back what its clients get: the
 * bench's extension point. A lesson that pushes to many clients adds its entry to {@link #LESSONS},
 * keyed by its id: how to make its server from the lesson's classes, and how a message is
 * published. The server is the learner's or the reference, compiled into the class loader given.
 */
abstract class Publishing implements AutoCloseable {

    /** Makes a lesson's publishing, its server not started yet. */
    interface Maker {
        Publishing make(ClassLoader lesson, String serverClass, int rate) throws ReflectiveOperationException;
    }

    /** The lessons the bench measures. */
    static final Map<String, Maker> LESSONS = Map.of(
            "02-broadcast", (lesson, server, rate) -> new Relay(newServer(lesson, server, new Class<?>[0]), ""),
            "03-scheduled", Timer::make,
            "04-event-driven", Events::make,
            "06-rooms", Room::make,
            // The chat on /chat: a client's text is posted to all as JSON; one too far behind is closed.
            "07-slow-consumers", (lesson, server, rate) -> new Relay(newServer(lesson, server, new Class<?>[0]), "chat"),
            // A client's text is published to all, numbered: the stamp is in the JSON's text.
            "10-resume", (lesson, server, rate) -> new Relay(newServer(lesson, server, new Class<?>[0]), ""));

    final LessonServer server;

    Publishing(LessonServer server) {
        this.server = server;
    }

    /** How messages are published, for the report. */
    abstract String how();

    /** Whether the bench publishes, at its rate; false when the server's own timers push. */
    boolean paced() {
        return true;
    }

    /** What each client adds to the upgrade request's path, e.g. its name: {@code ?user=c7}. */
    String query(int client) {
        return "";
    }

    /** What each client sends once its connection is open, e.g. a join; null for nothing. */
    String greeting() {
        return null;
    }

    /** Publishes a message's text: through the bench's publisher client, or in this JVM. */
    abstract void publish(String text, Consumer<String> publisherClient);

    /** The stamp in a message a client received; null for a message the bench does not count. */
    Stamp stamp(String text) {
        return Stamp.in(text);
    }

    @Override
    public void close() {
    }

    static LessonServer newServer(ClassLoader lesson, String serverClass, Class<?>[] types, Object... arguments)
            throws ReflectiveOperationException {
        return (LessonServer) lesson.loadClass(serverClass).getConstructor(types).newInstance(arguments);
    }

    /** Lesson 02: a client sends each message, and the server relays it to every client. */
    static final class Relay extends Publishing {

        private final String path;

        /** @param path where the clients connect, after the server's "/": e.g. "chat" */
        Relay(LessonServer server, String path) {
            super(server);
            this.path = path;
        }

        @Override
        String query(int client) {
            return path;
        }

        @Override
        String how() {
            return "the publisher client sends each message; the server relays it to every client (and to the publisher).";
        }

        @Override
        void publish(String text, Consumer<String> publisherClient) {
            publisherClient.accept(text);
        }
    }

    /** Lesson 04: the repository's update, called in this JVM as the tests do, and the server pushes the event. */
    static final class Events extends Publishing {

        private final AutoCloseable repository;
        private final Method update;

        private Events(LessonServer server, AutoCloseable repository, Method update) {
            super(server);
            this.repository = repository;
            this.update = update;
        }

        /** The lesson's own Repository, beside its server, and the server made with it. */
        static Publishing make(ClassLoader lesson, String serverClass, int rate) throws ReflectiveOperationException {
            Class<?> type = lesson.loadClass(serverClass.substring(0, serverClass.lastIndexOf('.')) + ".Repository");
            AutoCloseable repository = (AutoCloseable) type.getConstructor().newInstance();
            return new Events(newServer(lesson, serverClass, new Class<?>[] {type}, repository), repository,
                    type.getMethod("update", String.class));
        }

        @Override
        String how() {
            return "repository.update(...) in this JVM publishes each message; the server pushes the event, as JSON, to every client.";
        }

        @Override
        void publish(String text, Consumer<String> publisherClient) {
            try {
                update.invoke(repository, text);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Repository.update failed", e);
            }
        }

        @Override
        public void close() {
            try {
                repository.close();
            } catch (Exception e) {
                // Closing only ends the repository's delivery threads; they are daemons anyway.
            }
        }
    }

    /**
     * Lesson 06: every client names itself and joins one room, and the server posts each message
     * to the room ({@code post} in this JVM, as the tests do).
     */
    static final class Room extends Publishing {

        private static final String ROOM = "bench";

        private final Method post;
        /**
         * Posts on a thread of their own, as a program's own thread would: a send writes on the
         * thread that calls it, and the bench counts its own thread's CPU apart from the server's.
         */
        private final ExecutorService poster = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "bench-poster");
            thread.setDaemon(true);
            return thread;
        });

        private Room(LessonServer server, Method post) {
            super(server);
            this.post = post;
        }

        static Publishing make(ClassLoader lesson, String serverClass, int rate) throws ReflectiveOperationException {
            LessonServer server = newServer(lesson, serverClass, new Class<?>[0]);
            return new Room(server, server.getClass().getMethod("post", String.class, String.class));
        }

        @Override
        String how() {
            return "every client connects as a user of its own and joins the room \"" + ROOM + "\"; server.post(...), on a thread"
                    + " of this JVM, posts each message to the room, and the server sends it to every member.";
        }

        @Override
        String query(int client) {
            return "?user=c" + client;
        }

        @Override
        String greeting() {
            return "{\"type\":\"join\",\"room\":\"" + ROOM + "\"}";
        }

        @Override
        void publish(String text, Consumer<String> publisherClient) {
            poster.execute(() -> {
                try {
                    post.invoke(server, ROOM, text);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("post failed", e);
                }
            });
        }

        @Override
        public void close() {
            poster.shutdownNow();
        }
    }

    /**
     * Lesson 03: the server's own timer pushes an update to every client, at the period the rate
     * asks for. The bench publishes nothing: a message is published if a client got it, and its
     * stamp is the update's own timestamp, in whole milliseconds.
     */
    static final class Timer extends Publishing {

        private static final String TIMESTAMP = "\"timestamp\":";

        private final long period;
        /** Where the updates' milliseconds start, and the nanoTime of that millisecond. */
        private final long originMillis = System.currentTimeMillis();
        private final long originNanos = System.nanoTime();

        private Timer(LessonServer server, long period) {
            super(server);
            this.period = period;
        }

        static Publishing make(ClassLoader lesson, String serverClass, int rate) throws ReflectiveOperationException {
            long period = Math.max(1, Math.round(1000.0 / rate));
            // Each client's own clock ticks once an hour: never, in a bench.
            return new Timer(newServer(lesson, serverClass, new Class<?>[] {Duration.class, Duration.class},
                    Duration.ofHours(1), Duration.ofMillis(period)), period);
        }

        @Override
        String how() {
            return "the server's own timer pushes an update every " + period + " ms (what --rate asks for): the rate is the server's."
                    + " What the clients received counts as published, and latency is from the update's timestamp,"
                    + " whole milliseconds (up to 1 ms more than the real latency).";
        }

        @Override
        boolean paced() {
            return false;
        }

        @Override
        void publish(String text, Consumer<String> publisherClient) {
            throw new UnsupportedOperationException("the server publishes on its own");
        }

        @Override
        Stamp stamp(String text) {
            int at = text.indexOf(TIMESTAMP);
            if (at < 0) {
                return null;
            }
            long millis = Stamp.number(text, at + TIMESTAMP.length()) - originMillis;
            return millis < 0 ? null : new Stamp(millis, originNanos + millis * 1_000_000);
        }
    }
}
