package dev.scimonboard;

/**
 * A failure that trying again will not fix: a rejected request, a missing permission, a rejected SCIM token.
 * The onboarding fails at once with this failure's message as its reason.
 */
public final class PermanentFailure extends OnboardingFailure {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a permanent failure.
     *
     * @param code a short machine-readable code
     * @param message what went wrong and what to do, for a person
     * @param httpStatus the HTTP status answered, or 0
     * @param cause the underlying exception, possibly null
     */
    public PermanentFailure(String code, String message, int httpStatus, Throwable cause) {
        super(code, message, httpStatus, cause);
    }

    private PermanentFailure(String code, String message, int httpStatus, Throwable cause, boolean fromEntra) {
        super(code, message, httpStatus, cause, fromEntra);
    }

    /**
     * Creates a permanent failure answered by a service other than Entra (Cloudflare, Key Vault), whose 404 or 403
     * is never taken for Entra's replication.
     *
     * @param code a short machine-readable code
     * @param message what went wrong and what to do, for a person
     * @param httpStatus the HTTP status answered, or 0
     * @param cause the underlying exception, possibly null
     * @return the failure
     */
    public static PermanentFailure outsideEntra(String code, String message, int httpStatus, Throwable cause) {
        return new PermanentFailure(code, message, httpStatus, cause, false);
    }

    /**
     * Creates a permanent failure that has no remote answer behind it.
     *
     * @param code a short machine-readable code
     * @param message what went wrong and what to do, for a person
     */
    public PermanentFailure(String code, String message) {
        this(code, message, 0, null);
    }
}
