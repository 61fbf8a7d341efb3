package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Azure Key Vault's secrets endpoint, for reading a secret: {@code GET /secrets/{name}[/{version}]?api-version=}.
 * It behaves as the real vault does towards its clients: a request without a token gets 401 with the authentication
 * challenge naming the tenant and the resource {@code https://vault.azure.net}; a token for another audience gets
 * 401; an identity without the Key Vault Secrets User role gets 403 ForbiddenByRbac; a missing secret 404
 * SecretNotFound; a disabled one 403 SecretDisabled; throttling 429 with Retry-After. Values are kept in memory and
 * never written to the call log.
 */
final class KeyVaultApi {
    /** The audience of Key Vault tokens, as the challenge names it. */
    static final String RESOURCE = "https://vault.azure.net";

    private static final Set<String> AUDIENCES = Set.of(RESOURCE, RESOURCE + "/");
    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final Pattern API_VERSION = Pattern.compile("7\\.[0-9](-preview)?|20[0-9]{2}-[0-9]{2}-[0-9]{2}");

    private record Version(String id, String value, boolean enabled, Instant created) {
    }

    private final ManagedIdentityEndpoint identity;
    private final String tenantId;
    private final Supplier<String> vaultUrl;
    private final Map<String, List<Version>> secrets = new HashMap<>();
    private boolean accessGranted = true;
    private int throttleNext;

    KeyVaultApi(ManagedIdentityEndpoint identity, String tenantId, Supplier<String> vaultUrl) {
        this.identity = identity;
        this.tenantId = tenantId;
        this.vaultUrl = vaultUrl;
    }

    /** Stores a new current version of a secret and answers the version's id. */
    synchronized String setSecret(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret name is 1 to 127 letters, digits and dashes");
        }
        String version = UUID.randomUUID().toString().replace("-", "");
        secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(new Version(version, value, true, Instant.now()));
        return version;
    }

    /** Disables the current version of a secret, as the portal's Enabled switch does. */
    synchronized void disableSecret(String name) {
        List<Version> versions = secrets.get(name);
        if (versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("no secret " + name);
        }
        Version current = versions.remove(versions.size() - 1);
        versions.add(new Version(current.id(), current.value(), false, current.created()));
    }

    /** Gives or takes away the app identity's Key Vault Secrets User role on the vault. */
    synchronized void accessGranted(boolean granted) {
        this.accessGranted = granted;
    }

    /** Answers the next {@code count} authenticated requests with 429. */
    synchronized void throttleNext(int count) {
        this.throttleNext = count;
    }

    /** Forgets every secret and fault. */
    synchronized void clear() {
        secrets.clear();
        accessGranted = true;
        throttleNext = 0;
    }

    EmulatedResponse handle(EmulatedRequest request) {
        String apiVersion = request.query().get("api-version");
        if (apiVersion == null || apiVersion.isEmpty()) {
            return error(400, "BadParameter", "The request URI contains an invalid or missing api-version.", null);
        }
        if (!API_VERSION.matcher(apiVersion).matches()) {
            return error(400, "BadParameter", "The specified version (" + apiVersion + ") is not recognized. "
                    + "Consider using the latest supported version (7.6).", null);
        }
        String authorization = request.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            return error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", null)
                    .header("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                            + tenantId + "\", resource=\"" + RESOURCE + "\"");
        }
        ManagedIdentityEndpoint.Verification verification = identity.verify(authorization, AUDIENCES);
        if (!verification.accepted()) {
            String message = verification.refusal() == ManagedIdentityEndpoint.Refusal.WRONG_AUDIENCE
                    ? "AKV10022: Invalid audience. Expected " + RESOURCE + ", found: "
                            + verification.claims().path("aud").asText() + "."
                    : "AKV10032: Invalid token: " + verification.refusal().message;
            return error(401, "Unauthorized", message, null).header("WWW-Authenticate",
                    "Bearer authorization=\"https://login.microsoftonline.com/" + tenantId + "\", resource=\""
                            + RESOURCE + "\"");
        }
        List<String> path = request.segments();
        if (!"GET".equals(request.method()) || path.size() < 2 || path.size() > 3 || !"secrets".equals(path.get(0))) {
            return error(400, "BadParameter", "The emulated vault answers GET /secrets/{name}[/{version}] only.",
                    null);
        }
        synchronized (this) {
            if (throttleNext > 0) {
                throttleNext--;
                return error(429, "Throttled", "Request was not processed because too many requests were "
                        + "received. Reason: VaultRequestTypeLimitReached", null).header("Retry-After", "1");
            }
            if (!accessGranted) {
                String oid = verification.claims().path("oid").asText();
                return error(403, "Forbidden", "Caller is not authorized to perform action on resource.\r\nIf role "
                        + "assignments, deny assignments or role definitions were changed recently, please observe "
                        + "propagation time.\r\nCaller: appid=" + verification.claims().path("appid").asText()
                        + ";oid=" + oid + "\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n"
                        + "Assignment: (not found)\r\n", "ForbiddenByRbac");
            }
            return secret(path.get(1), path.size() == 3 ? path.get(2) : "");
        }
    }

    private EmulatedResponse secret(String name, String version) {
        List<Version> versions = secrets.getOrDefault(name, List.of());
        Version found = null;
        if (version.isEmpty()) {
            found = versions.isEmpty() ? null : versions.get(versions.size() - 1);
        } else {
            for (Version candidate : versions) {
                if (candidate.id().equals(version)) {
                    found = candidate;
                }
            }
        }
        if (found == null) {
            String id = version.isEmpty() ? name : name + "/" + version;
            return error(404, "SecretNotFound", "A secret with (name/id) " + id + " was not found in this key vault. "
                    + "If you recently deleted this secret you may be able to recover it using the correct recovery "
                    + "command. For help resolving this issue, please see "
                    + "https://go.microsoft.com/fwlink/?linkid=2125182", null);
        }
        if (!found.enabled()) {
            return error(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
        }
        ObjectNode body = EmulatedResponse.JSON.createObjectNode();
        body.put("value", found.value());
        body.put("id", vaultUrl.get() + "/secrets/" + name + "/" + found.id());
        ObjectNode attributes = body.putObject("attributes");
        attributes.put("enabled", true);
        attributes.put("created", found.created().getEpochSecond());
        attributes.put("updated", found.created().getEpochSecond());
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        body.putObject("tags");
        return EmulatedResponse.json(200, body);
    }

    private static EmulatedResponse error(int status, String code, String message, String innerCode) {
        ObjectNode body = EmulatedResponse.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (innerCode != null) {
            error.putObject("innererror").put("code", innerCode);
        }
        return EmulatedResponse.json(status, body);
    }
}
