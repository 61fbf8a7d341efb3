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
    private final boolean fromEntra;

    /**
     * Creates a failure.
     *
     * @param code a short machine-readable code, such as {@code Authorization_RequestDenied}
     * @param message what went wrong and what to do, for a person
     * @param httpStatus the HTTP status that the remote service answered, or 0 when there was no answer
     * @param cause the underlying exception, possibly null
     */
    protected OnboardingFailure(String code, String message, int httpStatus, Throwable cause) {
        this(code, message, httpStatus, cause, true);
    }

    /**
     * Creates a failure, saying whether Entra gave the answer.
     *
     * @param code a short machine-readable code
     * @param message what went wrong and what to do, for a person
     * @param httpStatus the HTTP status that the remote service answered, or 0 when there was no answer
     * @param cause the underlying exception, possibly null
     * @param fromEntra whether Microsoft Graph answered; only its 404s and 403s can be replication
     */
    protected OnboardingFailure(String code, String message, int httpStatus, Throwable cause, boolean fromEntra) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.fromEntra = fromEntra;
    }

    /** The short machine-readable code of this failure. */
    public String code() {
        return code;
    }

    /** Whether Microsoft Graph gave the answer, rather than Cloudflare or Key Vault. */
    public boolean fromEntra() {
        return fromEntra;
    }

    /** The HTTP status the remote service answered, or 0 when there was no answer (timeout, connection). */
    public int httpStatus() {
        return httpStatus;
    }
}
