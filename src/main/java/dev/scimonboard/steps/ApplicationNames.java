package dev.scimonboard.steps;

/** The display names given to the enterprise applications. */
public final class ApplicationNames {
    /** The name used when the request gives none. */
    static final String DEFAULT_NAME = "Cloudflare SCIM";

    private ApplicationNames() {
    }

    /**
     * The application's display name: the requested name (or a default) followed by the account id, which makes it
     * unique to the account so the application can be found again by name.
     *
     * @param accountId the account
     * @param requested the name asked for, or null
     * @return the name
     */
    public static String forAccount(String accountId, String requested) {
        String base = requested == null || requested.isBlank() ? DEFAULT_NAME : requested.strip();
        return base + " (" + accountId + ")";
    }
}
