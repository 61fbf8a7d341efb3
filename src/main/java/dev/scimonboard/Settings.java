package dev.scimonboard;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The app settings the functions read, by the names documented in the README. The same build runs against Azure,
 * a national cloud or the local emulators by changing these values only.
 *
 * <p>{@link #toString()} never shows the Cloudflare API token or the callback signing key.
 */
public final class Settings {
    /** Microsoft Graph in the global cloud. */
    public static final String DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
    /** The non-gallery application template in the global cloud. */
    public static final String DEFAULT_APP_TEMPLATE_ID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
    /** Cloudflare's API root. */
    public static final String DEFAULT_CLOUDFLARE_API_BASE_URL = "https://api.cloudflare.com/client/v4";

    /** The onboarding event type, unless ONBOARDING_EVENT_TYPE names another. */
    public static final String DEFAULT_ONBOARDING_EVENT_TYPE = "Cloudflare.Account.Created";

    private static final long DEFAULT_STEP_DEADLINE_SECONDS = 900;
    private static final int DEFAULT_HEALTH_CHECK_READS_PER_SECOND = 5;
    private static final int DEFAULT_GRAPH_WRITES_PER_SECOND = 18;
    private static final long DEFAULT_REPLICATION_WINDOW_SECONDS = 120;

    private final Map<String, String> values;
    private final URI graphBaseUrl;
    private final String appTemplateId;
    private final URI cloudflareApiBaseUrl;
    private final Duration stepDeadline;
    private final Duration replicationWindow;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
        this.graphBaseUrl = httpUri("GRAPH_BASE_URL", optional("GRAPH_BASE_URL").orElse(DEFAULT_GRAPH_BASE_URL));
        this.appTemplateId = optional("ENTRA_APP_TEMPLATE_ID").orElse(DEFAULT_APP_TEMPLATE_ID);
        this.cloudflareApiBaseUrl = httpUri("CLOUDFLARE_API_BASE_URL",
            optional("CLOUDFLARE_API_BASE_URL").orElse(DEFAULT_CLOUDFLARE_API_BASE_URL));
        this.stepDeadline = seconds("STEP_DEADLINE_SECONDS", DEFAULT_STEP_DEADLINE_SECONDS);
        this.replicationWindow = seconds("REPLICATION_WINDOW_SECONDS", DEFAULT_REPLICATION_WINDOW_SECONDS);
    }

    /** Settings read from this process's environment, where Azure Functions puts app settings. */
    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /**
     * Settings read from the given map, for tools and tests.
     *
     * @param values setting names to values
     * @return the settings
     */
    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** A setting's value, if set and not blank. */
    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A setting that must be present; the error names the setting to set. */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException(
            "The app setting " + name + " is not set; set it in the Function App's configuration "
                + "(or local.settings.json when running locally)."));
    }

    /** Microsoft Graph's root, such as {@code https://graph.microsoft.com/v1.0}. */
    public URI graphBaseUrl() {
        return graphBaseUrl;
    }

    /** The application template that new enterprise applications are made from. */
    public String appTemplateId() {
        return appTemplateId;
    }

    /** Cloudflare's API root, such as {@code https://api.cloudflare.com/client/v4}. */
    public URI cloudflareApiBaseUrl() {
        return cloudflareApiBaseUrl;
    }

    /** The Cloudflare API token that may mint account tokens; required when a step needs it. */
    public String cloudflareApiToken() {
        return required("CLOUDFLARE_API_TOKEN");
    }

    /** The client id of a user-assigned managed identity, if one is used. */
    public Optional<String> managedIdentityClientId() {
        return optional("AZURE_CLIENT_ID");
    }

    /** How long one step may keep retrying before its onboarding fails. */
    public Duration stepDeadline() {
        return stepDeadline;
    }

    /** How long after an object's creation a 404 or 403 on it is taken for Entra replication. */
    public Duration replicationWindow() {
        return replicationWindow;
    }

    /** The event type that asks for an onboarding on the onboarding-events queue. */
    public String onboardingEventType() {
        return optional("ONBOARDING_EVENT_TYPE").orElse(DEFAULT_ONBOARDING_EVENT_TYPE);
    }

    /** The name of Cloudflare's permission group for SCIM provisioning, when it must be given exactly. */
    public Optional<String> scimPermissionGroupName() {
        return optional("CLOUDFLARE_SCIM_PERMISSION_GROUP");
    }

    /**
     * The Key Vaults whose secrets a request may name as its account's SCIM token, from the comma-separated
     * {@code SCIM_TOKEN_KEY_VAULTS}; empty when requests may not name one.
     *
     * @return the vault URLs, such as {@code https://contoso-scim.vault.azure.net}
     */
    public List<URI> scimTokenKeyVaults() {
        List<URI> vaults = new ArrayList<>();
        for (String item : optional("SCIM_TOKEN_KEY_VAULTS").orElse("").split(",")) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = httpUri("SCIM_TOKEN_KEY_VAULTS", trimmed);
            if (!"https".equals(uri.getScheme())) {
                throw new IllegalStateException("The app setting SCIM_TOKEN_KEY_VAULTS must list https vault URLs, "
                    + "not " + trimmed);
            }
            vaults.add(uri);
        }
        return vaults;
    }

    /**
     * The most Graph writes a second this process sends, from {@code GRAPH_WRITES_PER_SECOND} (default 18, a little
     * under the 20 a second that Graph allows one app in one tenant; {@code 0} switches the pacing off).
     *
     * @return the rate, or empty when writes are not paced
     */
    public Optional<Integer> graphWritesPerSecond() {
        Optional<String> raw = optional("GRAPH_WRITES_PER_SECOND");
        if (raw.isEmpty()) {
            return Optional.of(DEFAULT_GRAPH_WRITES_PER_SECOND);
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < 0 || value > 1000) {
                throw new NumberFormatException();
            }
            return value == 0 ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The app setting GRAPH_WRITES_PER_SECOND must be a whole number from 0 "
                + "(no pacing) to 1000, not '" + raw.get() + "'.", e);
        }
    }

    /**
     * How many synchronization jobs the health check reads per second, from {@code HEALTH_CHECK_READS_PER_SECOND}
     * (default 5), leaving Graph's budget to the onboardings.
     *
     * @return from 1 to 50
     */
    public int healthCheckReadsPerSecond() {
        Optional<String> raw = optional("HEALTH_CHECK_READS_PER_SECOND");
        if (raw.isEmpty()) {
            return DEFAULT_HEALTH_CHECK_READS_PER_SECOND;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < 1 || value > 50) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The app setting HEALTH_CHECK_READS_PER_SECOND must be a whole number "
                + "from 1 to 50, not '" + raw.get() + "'.", e);
        }
    }

    /**
     * How old a minted SCIM token may grow before rotation replaces it, from {@code TOKEN_ROTATION_MAX_AGE_DAYS};
     * empty when rotation is off.
     *
     * @return the age
     */
    public Optional<Duration> tokenRotationMaxAge() {
        Optional<String> raw = optional("TOKEN_ROTATION_MAX_AGE_DAYS");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            long days = Long.parseLong(raw.get());
            if (days <= 0 || days > 3650) {
                throw new NumberFormatException();
            }
            return Optional.of(Duration.ofDays(days));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The app setting TOKEN_ROTATION_MAX_AGE_DAYS must be a whole number of "
                + "days from 1 to 3650, or empty to switch rotation off; not '" + raw.get() + "'.", e);
        }
    }

    /**
     * The hosts outcome callbacks may go to, as written in {@code CALLBACK_ALLOWED_HOSTS}: comma-separated host
     * names and {@code *.suffix} wildcards; empty when requests may not ask for callbacks.
     *
     * @return the setting's text, possibly empty
     */
    public String callbackAllowedHosts() {
        return optional("CALLBACK_ALLOWED_HOSTS").orElse("");
    }

    /**
     * The key callbacks are signed with, from {@code CALLBACK_SIGNING_KEY} (a Key Vault reference in Azure); needed
     * only when callbacks are allowed. Never logged.
     *
     * @return the key, or empty when unset
     */
    public Optional<String> callbackSigningKey() {
        return optional("CALLBACK_SIGNING_KEY");
    }

    private Duration seconds(String name, long defaultSeconds) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Duration.ofSeconds(defaultSeconds);
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The app setting " + name + " must be a positive whole number of "
                + "seconds, not '" + raw.get() + "'.", e);
        }
    }

    private static URI httpUri(String name, String raw) {
        URI uri;
        try {
            uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The app setting " + name + " is not a valid URL: " + raw, e);
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalStateException("The app setting " + name + " must be an http(s) URL, not " + raw);
        }
        return uri;
    }

    @Override
    public String toString() {
        return "Settings{graphBaseUrl=" + graphBaseUrl + ", appTemplateId=" + appTemplateId
            + ", cloudflareApiBaseUrl=" + cloudflareApiBaseUrl + ", stepDeadline=" + stepDeadline + "}";
    }
}
