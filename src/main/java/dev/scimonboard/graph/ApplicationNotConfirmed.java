package dev.scimonboard.graph;

/**
 * Instantiating the template answered 404, or answered without the objects. Graph is known to answer so and
 * create the application all the same, so the caller must look for it before asking again.
 */
public final class ApplicationNotConfirmed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param detail what Graph answered
     * @param cause the SDK's exception, possibly null
     */
    public ApplicationNotConfirmed(String detail, Throwable cause) {
        super("Graph did not confirm the new application: " + detail, cause);
    }
}
