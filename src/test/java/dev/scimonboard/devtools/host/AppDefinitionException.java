package dev.scimonboard.devtools.host;

/**
 * The staged app cannot be hosted locally: a file is missing or malformed, a binding type is not supported, or an
 * entry point cannot be bound. The local host refuses to start rather than run half of the app.
 */
public final class AppDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message that names the function and what is wrong with it.
     *
     * @param message what a developer should fix
     */
    public AppDefinitionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the failure that caused it.
     *
     * @param message what a developer should fix
     * @param cause the underlying failure
     */
    public AppDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
