package dev.scimonboard.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delayGrowsWithEachAttemptUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            Duration first = Backoff.delay(1, Optional.empty());
            Duration third = Backoff.delay(3, Optional.empty());
            Duration late = Backoff.delay(30, Optional.empty());
            assertTrue(first.toMillis() >= 1500 && first.toMillis() <= 2500, first.toString());
            assertTrue(third.toMillis() >= 6000 && third.toMillis() <= 10000, third.toString());
            assertTrue(late.toMillis() <= 75000, late.toString());
        }
    }

    @Test
    void retryAfterIsNeverShortened() {
        for (int i = 0; i < 200; i++) {
            Duration delay = Backoff.delay(1, Optional.of(Duration.ofMillis(2128)));
            assertTrue(delay.toMillis() >= 2128 && delay.toMillis() <= 3128, delay.toString());
        }
    }
}
