package workbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server kit's scheduler, which lesson 03's servers and tests count timers with. */
@DisplayName("The server kit's scheduler")
class SchedulerTest {

    @Test
    @DisplayName("holds on to at most about twice its live timers, however many came and went")
    void bounded() {
        Scheduler scheduler = new Scheduler("test-scheduler");
        try {
            scheduler.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);
            for (int i = 0; i < 2_000; i++) {
                // A connection's clock: started when it opens, cancelled when it closes.
                scheduler.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS).cancel(false);
            }

            assertThat(scheduler.heldTimers()).as("timers held after 2000 came and went, 1 live").isLessThanOrEqualTo(32);
            assertThat(scheduler.liveTimers()).isEqualTo(1);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
