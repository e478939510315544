package workbook.events;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for a data store: each update publishes a {@link DataChanged} event to whoever
 * subscribed. It knows nothing about WebSockets.
 *
 * <p>Events go out through the JDK's {@link SubmissionPublisher}: each subscriber gets a buffer of
 * its own and is served by a task of its own on the executor, so a slow subscriber only fills its
 * own buffer and a failing one is dropped; neither holds up the publisher or the other
 * subscribers. A plain list of listeners would call each listener on the publisher's thread.
 */
public final class Repository implements AutoCloseable {

    /** What changed: the new data. */
    public record DataChanged(String data) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Repository.class);

    // Daemon threads: event delivery never keeps the JVM alive on its own.
    private final ExecutorService delivery = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "repository-events");
        thread.setDaemon(true);
        return thread;
    });
    /** How many events were dropped for subscribers too slow to take them. */
    private final AtomicLong dropped = new AtomicLong();
    private final SubmissionPublisher<DataChanged> events = new SubmissionPublisher<>(delivery, Flow.defaultBufferSize());

    /** Stores {@code data} (here: nowhere) and tells the subscribers. Never blocks. */
    public void update(String data) {
        // offer, not submit: submit would wait for room in a full buffer, that is for the slowest
        // subscriber. offer drops the event for a subscriber that has no room, and says so.
        events.offer(new DataChanged(data), (subscriber, event) -> {
            // A subscriber that stays too slow would fill the log, an event a line: say it at the
            // 1st, 2nd, 4th, 8th... drop.
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                LOG.warn("A subscriber is too slow to take every event: {} dropped so far", count);
            }
            return false;
        });
    }

    public void subscribe(Flow.Subscriber<DataChanged> subscriber) {
        events.subscribe(subscriber);
    }

    public int subscriberCount() {
        return events.getNumberOfSubscribers();
    }

    /** How many more events the subscribers have asked for, at least: 0 if one has asked for none. */
    public long demand() {
        return events.estimateMinimumDemand();
    }

    /**
     * How many events wait for a subscriber, at most: 0 once every subscriber's onNext has
     * returned for every event.
     */
    public long lag() {
        return events.estimateMaximumLag();
    }

    @Override
    public void close() {
        events.close();
        delivery.shutdown();
    }
}
