package dev.scimonboard.callback;

import java.time.Duration;
import java.util.Optional;

/**
 * How a receiver answered one callback attempt.
 *
 * @param status the HTTP status; 0 when no answer came (timeout, connection or TLS error); -1 when the attempt was
 *     not made because the address is refused
 * @param retryAfter the wait the receiver asked for in {@code Retry-After}, if any
 * @param problem what went wrong when no answer came, or null
 */
public record CallbackAnswer(int status, Optional<Duration> retryAfter, String problem) {
    /** What the runner does next with an answer. */
    public enum Verdict {
        /** The receiver took it (2xx). */
        DELIVERED,
        /** Worth another attempt later: no answer, 408, 429 or 5xx. */
        RETRY,
        /** The receiver refused it for good (any other status, redirects included): no further attempt. */
        GIVE_UP
    }

    /** An answer with a status. */
    public static CallbackAnswer of(int status, Optional<Duration> retryAfter) {
        return new CallbackAnswer(status, retryAfter, null);
    }

    /** No answer: the attempt timed out or could not connect. */
    public static CallbackAnswer none(String problem) {
        return new CallbackAnswer(0, Optional.empty(), problem);
    }

    /** No attempt: the host's address may not be called. */
    public static CallbackAnswer refused(String problem) {
        return new CallbackAnswer(-1, Optional.empty(), problem);
    }

    /** What to do next. */
    public Verdict verdict() {
        if (status >= 200 && status <= 299) {
            return Verdict.DELIVERED;
        }
        if (status == 0 || status == 408 || status == 429 || status >= 500) {
            return Verdict.RETRY;
        }
        return Verdict.GIVE_UP;
    }

    /** The HTTP status to record, or null when no answer came. */
    public Integer recordedStatus() {
        return status > 0 ? status : null;
    }

    /** The answer in a few words, for the status document and the log. */
    public String describe() {
        if (status < 0) {
            return "not sent: " + problem;
        }
        if (status == 0) {
            return "no answer (" + problem + ")";
        }
        if (status >= 300 && status <= 399) {
            return "HTTP " + status + " (a redirect, which is not followed; give the final URL)";
        }
        return "HTTP " + status;
    }
}
