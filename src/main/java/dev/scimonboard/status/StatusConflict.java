package dev.scimonboard.status;

/**
 * The status entity changed since it was read (or already exists when it was to be created): someone else wrote
 * it first. The caller reads it again and decides anew.
 */
public final class StatusConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param accountId the account whose entity changed
     */
    public StatusConflict(String accountId) {
        super("the status of account " + accountId + " changed while it was being written");
    }
}
