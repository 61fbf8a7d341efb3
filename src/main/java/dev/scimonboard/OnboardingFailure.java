package dev.scimonboard;

/**
 * A failure of one onboarding step, classified so the pipeline knows whether to try again.
 *
 * <p>The message is written for a person: it says what went wrong and, where possible, what to do about it.
 * It never holds a secret.
 */
public abstract class OnboardingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;

    /**
     * Creates a failure.
     *
     * @param code a short machine-readable code, such as {@code Authorization_RequestDenied}
     * @param message what went wrong and what to do, for a person
     * @param httpStatus the HTTP status that the remote service answered, or 0 when there was no answer
     * @param cause the underlying exception, possibly null
     */
    protected OnboardingFailure(String code, String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The short machine-readable code of this failure. */
    public String code() {
        return code;
    }

    /** The HTTP status the remote service answered, or 0 when there was no answer (timeout, connection). */
    public int httpStatus() {
        return httpStatus;
    }
}
