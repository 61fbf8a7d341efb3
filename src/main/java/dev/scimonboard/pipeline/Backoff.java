package dev.scimonboard.pipeline;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next attempt of a step: exponential with jitter, and never less than what the
 * service asked for in {@code Retry-After}.
 */
public final class Backoff {
    private static final Duration BASE = Duration.ofSeconds(2);
    private static final Duration CAP = Duration.ofSeconds(60);
    /** Spreads the retries of many accounts throttled at the same moment, so they do not return together. */
    private static final long RETRY_AFTER_SPREAD_MILLIS = 1000;

    private Backoff() {
    }

    /**
     * The delay before the attempt after {@code attempt}.
     *
     * @param attempt the attempt that just failed, from 1
     * @param retryAfter the wait the service asked for, if any
     * @return the delay
     */
    public static Duration delay(int attempt, Optional<Duration> retryAfter) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (retryAfter.isPresent()) {
            return retryAfter.get().plusMillis(random.nextLong(RETRY_AFTER_SPREAD_MILLIS + 1));
        }
        int exponent = Math.min(Math.max(attempt - 1, 0), 10);
        long millis = Math.min(CAP.toMillis(), BASE.toMillis() << exponent);
        long jitter = millis / 4;
        return Duration.ofMillis(millis - jitter + random.nextLong(2 * jitter + 1));
    }
}
