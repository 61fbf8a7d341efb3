package dev.scimonboard;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may go away on its own: throttling, a server error, a timeout, Entra replication.
 * The pipeline tries the step again later, honouring {@link #retryAfter()} when the service gave one.
 */
public final class TransientFailure extends OnboardingFailure {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /**
     * Creates a transient failure.
     *
     * @param code a short machine-readable code
     * @param message what went wrong, for a person
     * @param httpStatus the HTTP status answered, or 0
     * @param retryAfter how long the service asked us to wait, possibly null
     * @param cause the underlying exception, possibly null
     */
    public TransientFailure(String code, String message, int httpStatus, Duration retryAfter, Throwable cause) {
        super(code, message, httpStatus, cause);
        this.retryAfter = retryAfter;
    }

    /** The wait the remote service asked for, if it asked. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
