package dev.scimonboard.graph;

/** A user or group to be assigned does not exist in the directory. */
public final class PrincipalNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String principalId;

    /**
     * Creates the exception.
     *
     * @param principalId the object id that was not found
     * @param cause the SDK's exception
     */
    public PrincipalNotFound(String principalId, Throwable cause) {
        super("no user or group has object id " + principalId, cause);
        this.principalId = principalId;
    }

    /** The object id that was not found. */
    public String principalId() {
        return principalId;
    }
}
