package workbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The clock the lessons' tests move, and the server kit's scheduler on it. */
@DisplayName("The server kit's virtual clock")
@Timeout(20)
class VirtualClockTest {

    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

    final VirtualClock clock = new VirtualClock(START);
    final Scheduler scheduler = clock.during(() -> new Scheduler("virtual-test"));
    /** What ran, as "name@ms since start on thread". */
    final List<String> fired = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    Runnable note(String name) {
        return () -> fired.add(name + "@" + Duration.between(START, clock.instant()).toMillis() + " on " + Thread.currentThread().getName());
    }

    @Test
    @DisplayName("fires exactly the timers due, in due order, on the scheduler's thread, only when moved on")
    void firesWhenMoved() throws Exception {
        scheduler.scheduleWithFixedDelay(note("tick"), 100, 100, TimeUnit.MILLISECONDS);
        scheduler.schedule(note("once"), 150, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(note("update"), 250, 250, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofMillis(99), PATIENCE);
        assertThat(fired).as("after 99 ms").isEmpty();

        clock.advance(Duration.ofMillis(201), PATIENCE);
        assertThat(fired).as("after 300 ms").containsExactly(
                "tick@100 on virtual-test", "once@150 on virtual-test", "tick@200 on virtual-test",
                "update@250 on virtual-test", "tick@300 on virtual-test");
        assertThat(clock.instant()).isEqualTo(START.plusMillis(300));
        assertThat(scheduler.clock()).isSameAs(clock);
    }

    @Test
    @DisplayName("a cancelled timer never fires again and is not live; shutdownNow ends them all")
    void cancelled() throws Exception {
        ScheduledFuture<?> gone = scheduler.scheduleWithFixedDelay(note("gone"), 100, 100, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(note("stays"), 100, 100, TimeUnit.MILLISECONDS);
        assertThat(scheduler.liveTimers()).isEqualTo(2);

        gone.cancel(false);
        clock.advance(Duration.ofMillis(100), PATIENCE);
        assertThat(fired).containsExactly("stays@100 on virtual-test");
        assertThat(scheduler.liveTimers()).isEqualTo(1);

        scheduler.shutdownNow();
        clock.advance(Duration.ofMillis(500), PATIENCE);
        assertThat(fired).hasSize(1);
        assertThat(scheduler.liveTimers()).isZero();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).as("terminated").isTrue();
    }

    @Test
    @DisplayName("execute and submit run at once, without the clock moving")
    void executeAtOnce() throws Exception {
        scheduler.submit(note("now")).get(10, TimeUnit.SECONDS);

        assertThat(fired).containsExactly("now@0 on virtual-test");
    }

    @Test
    @DisplayName("a scheduler made outside during() goes by the machine's clock")
    void realOutside() throws Exception {
        Scheduler real = new Scheduler("real-test");
        try {
            assertThat(real.clock()).isNotInstanceOf(VirtualClock.class);
            assertThat(real.schedule(() -> "ran", 1, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS)).isEqualTo("ran");
        } finally {
            real.shutdownNow();
        }
    }
}
