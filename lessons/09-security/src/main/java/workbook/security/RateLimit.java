package workbook.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: it holds up to {@code perSecond} tokens and gains {@code perSecond} a second; a
 * message takes one. A burst of {@code perSecond} passes at once, and then {@code perSecond} a
 * second. This file is done. The time comes from a {@link Clock}, so that a test decides it.
 */
final class RateLimit {

    private final int perSecond;
    private final Clock clock;
    private double tokens;
    private Instant last;

    RateLimit(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
        this.tokens = perSecond;
        this.last = clock.instant();
    }

    /** Takes a token if there is one: whether the message may pass. */
    synchronized boolean tryTake() {
        Instant now = clock.instant();
        tokens = Math.min(perSecond, tokens + Duration.between(last, now).toNanos() * perSecond / 1e9);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
