package dev.scimonboard.keyvault;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Key Vault secret named by its identifier, {@code https://{vault}.vault.azure.net/secrets/{name}} with an optional
 * version segment. Without a version the secret's current version is read each time.
 *
 * @param vaultUrl the vault's root, such as {@code https://contoso-scim.vault.azure.net}, lower case, no slash
 * @param name the secret's name
 * @param version the version, or null for the current one
 */
public record SecretReference(String vaultUrl, String name, String version) {
    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{32}");

    /** The identifier as given back to callers: the vault, the name and the version when there is one. */
    public String identifier() {
        return vaultUrl + "/secrets/" + name + (version == null ? "" : "/" + version);
    }

    /**
     * Reads a secret identifier and checks that its vault is one the app may read SCIM tokens from.
     *
     * @param text the identifier as the caller wrote it
     * @param allowedVaults the vault roots allowed, as {@link #vaultRoot} gives them; empty when none is
     * @return the reference
     * @throws IllegalArgumentException with what to fix, when the text is not a secret identifier of an allowed vault
     */
    public static SecretReference parse(String text, Set<String> allowedVaults) {
        SecretReference reference = parse(text);
        if (allowedVaults.isEmpty()) {
            throw new IllegalArgumentException("cannot be used: this service reads SCIM tokens from no Key Vault "
                + "(its operator lists the vaults in the app setting SCIM_TOKEN_KEY_VAULTS); leave the field out "
                + "to have a token minted");
        }
        if (!allowedVaults.contains(reference.vaultUrl())) {
            throw new IllegalArgumentException("names vault " + reference.vaultUrl() + ", which is not one this "
                + "service reads SCIM tokens from; use one of " + String.join(", ", allowedVaults.stream().sorted()
                .toList()));
        }
        return reference;
    }

    /**
     * Reads a secret identifier, of any vault.
     *
     * @param text the identifier
     * @return the reference
     * @throws IllegalArgumentException with what to fix, when the text is not a secret identifier
     */
    public static SecretReference parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be a Key Vault secret identifier such as "
                + "https://contoso-scim.vault.azure.net/secrets/cloudflare-scim-token");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
            || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must be an https Key Vault secret identifier without user, query "
                + "or fragment, such as https://contoso-scim.vault.azure.net/secrets/cloudflare-scim-token");
        }
        String[] segments = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
        // "", "secrets", name [, version]
        boolean shaped = (segments.length == 3 || segments.length == 4) && segments[0].isEmpty()
            && "secrets".equals(segments[1]) && NAME.matcher(segments[2]).matches()
            && (segments.length == 3 || VERSION.matcher(segments[3]).matches());
        if (!shaped) {
            throw new IllegalArgumentException("must name one secret: /secrets/{name} (letters, digits and dashes, "
                + "up to 127) optionally followed by /{version} (32 hexadecimal characters)");
        }
        return new SecretReference(vaultRoot(uri), segments[2], segments.length == 4 ? segments[3] : null);
    }

    /**
     * The root of a vault URL: scheme, host and port when one is given, lower case, without a path.
     *
     * @param uri a vault or secret URL
     * @return such as {@code https://contoso-scim.vault.azure.net}
     */
    public static String vaultRoot(URI uri) {
        String root = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT);
        return uri.getPort() < 0 ? root : root + ":" + uri.getPort();
    }
}
