package dev.scimonboard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.callback.CallbackAnswer;
import dev.scimonboard.callback.CallbackAnswer.Verdict;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallbackRunnerTest {

    @Test
    void retriesBackOffFromThirtySecondsDoublingEachTimeWithinAFifth() {
        long[] expectedSeconds = {30, 60, 120, 240, 480, 960, 1920};
        for (int attempt = 1; attempt <= expectedSeconds.length; attempt++) {
            for (int sample = 0; sample < 50; sample++) {
                Duration delay = CallbackRunner.delay(attempt, Optional.empty());
                long expected = expectedSeconds[attempt - 1] * 1000;
                assertTrue(delay.toMillis() >= expected * 0.8 && delay.toMillis() <= expected * 1.2,
                    "attempt " + attempt + ": " + delay);
            }
        }
    }

    @Test
    void everyAttemptFitsInTheWindowEvenWithTheLongestJitter() {
        double longest = 0;
        for (int attempt = 1; attempt < CallbackRunner.MAX_ATTEMPTS; attempt++) {
            longest += CallbackRunner.FIRST_RETRY.toMillis() * Math.pow(2, attempt - 1) * 1.2;
        }
        assertEquals(8, CallbackRunner.MAX_ATTEMPTS);
        assertTrue(longest < CallbackRunner.WINDOW.toMillis(), "the eighth attempt comes after " + longest + " ms");
    }

    @Test
    void retryAfterIsHonouredRatherThanTheBackoff() {
        Duration delay = CallbackRunner.delay(5, Optional.of(Duration.ofSeconds(2)));

        assertTrue(delay.compareTo(Duration.ofSeconds(2)) >= 0 && delay.compareTo(Duration.ofSeconds(3)) <= 0,
            delay.toString());
    }

    @Test
    void noAnswerTimeoutsThrottlingAndServerErrorsAreRetriedAndOtherAnswersAreFinal() {
        for (int status : new int[] {200, 201, 202, 204}) {
            assertEquals(Verdict.DELIVERED, CallbackAnswer.of(status, Optional.empty()).verdict(), "" + status);
        }
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertEquals(Verdict.RETRY, CallbackAnswer.of(status, Optional.empty()).verdict(), "" + status);
        }
        assertEquals(Verdict.RETRY, CallbackAnswer.none("connection refused").verdict());
        for (int status : new int[] {301, 302, 307, 400, 401, 403, 404, 410, 413, 422}) {
            assertEquals(Verdict.GIVE_UP, CallbackAnswer.of(status, Optional.empty()).verdict(), "" + status);
        }
        assertEquals(Verdict.GIVE_UP, CallbackAnswer.refused("internal address").verdict());
        assertTrue(CallbackAnswer.of(302, Optional.empty()).describe().contains("not followed"));
    }

    @Test
    void aMessageThatIsNotACallbackMessageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CallbackRunner.read("{\"accountId\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> CallbackRunner.read("not json"));
        assertThrows(IllegalArgumentException.class, () -> CallbackRunner.read("{\"v\":1,\"accountId\":\"a\","
            + "\"runId\":\"r\",\"correlationId\":\"c\",\"outcome\":\"succeeded\",\"attempt\":1,"
            + "\"firstAttemptAt\":\"2026-01-01T00:00:00Z\",\"callbackUrl\":\"https://x\"}"), "unknown fields");

        CallbackMessage message = CallbackRunner.read("{\"v\":1,\"accountId\":\"a\",\"runId\":\"r\","
            + "\"correlationId\":\"c\",\"outcome\":\"failed\",\"attempt\":2,"
            + "\"firstAttemptAt\":\"2026-01-01T00:00:00Z\"}");
        assertEquals(3, message.nextAttempt().attempt());
        assertEquals(message.firstAttemptAt(), message.nextAttempt().firstAttemptAt());
    }
}
