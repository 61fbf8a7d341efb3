package dev.scimonboard.graph;

/** Entra tested the saved credentials against the SCIM endpoint and the test failed. */
public final class CredentialsRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param detail what Entra answered
     * @param cause the SDK's exception
     */
    public CredentialsRejected(String detail, Throwable cause) {
        super(detail, cause);
    }
}
