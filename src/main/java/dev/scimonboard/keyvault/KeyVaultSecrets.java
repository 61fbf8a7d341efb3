package dev.scimonboard.keyvault;

import static dev.scimonboard.Logs.line;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.BinaryData;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.RetryAfter;
import dev.scimonboard.TransientFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Reads SCIM tokens that customers keep in Azure Key Vault, with the app's identity, through the Key Vault secrets
 * client (which answers the vault's authentication challenge itself). One client per vault, built on first use.
 */
public final class KeyVaultSecrets {
    private static final Logger LOG = Logger.getLogger(KeyVaultSecrets.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    // A short retry inside the client for a dropped connection; longer waits are the pipeline's delayed messages.
    private static final RetryOptions RETRY = new RetryOptions(new ExponentialBackoffOptions()
        .setMaxRetries(1).setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(1)));

    private final TokenCredential credential;
    private final Map<String, SecretClient> clients = new ConcurrentHashMap<>();

    /**
     * Creates the reader.
     *
     * @param credential the app's identity
     */
    public KeyVaultSecrets(TokenCredential credential) {
        this.credential = credential;
    }

    /**
     * Reads a SCIM token from its secret. The value is returned, never logged.
     *
     * @param reference the secret
     * @return the token and the version it was read from
     * @throws OnboardingFailure transient for throttling, outages and an identity endpoint that did not answer;
     *     permanent, saying what to fix, for a missing, disabled or empty secret and for denied access
     */
    public SecretValue read(SecretReference reference) {
        SecretClient client = clients.computeIfAbsent(reference.vaultUrl(), vault -> new SecretClientBuilder()
            .vaultUrl(vault)
            .credential(credential)
            .retryOptions(RETRY)
            .buildClient());
        KeyVaultSecret secret;
        try {
            secret = client.getSecret(reference.name(), reference.version());
        } catch (ClientAuthenticationException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 401) {
                throw new TransientFailure("IdentityUnavailable", "The app's identity could not get a token for Key "
                    + "Vault " + reference.vaultUrl() + ": " + e.getMessage(), 0, null, e);
            }
            throw classify(e, reference);
        } catch (HttpResponseException e) {
            throw classify(e, reference);
        } catch (RuntimeException e) {
            if (hasCause(e, IOException.class)) {
                throw new TransientFailure("KeyVaultUnreachable", "Key Vault " + reference.vaultUrl()
                    + " did not answer: " + e.getMessage(), 0, null, e);
            }
            throw e;
        }
        String value = secret.getValue();
        if (value == null || value.isBlank()) {
            throw PermanentFailure.outsideEntra("KeyVaultSecretEmpty", "The Key Vault secret " + reference.identifier()
                + " is empty. Store the account's SCIM token in it, then send the PUT again.", 0, null);
        }
        String version = secret.getProperties() == null ? reference.version() : secret.getProperties().getVersion();
        LOG.fine(line("read a SCIM token from Key Vault", "secret", reference.identifier(), "version", version));
        return new SecretValue(value.strip(), version);
    }

    private static OnboardingFailure classify(HttpResponseException e, SecretReference reference) {
        int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
        JsonNode error = errorBody(e).path("error");
        String code = error.path("code").asText("Http" + status);
        String inner = error.path("innererror").path("code").asText("");
        String said = error.path("message").asText(e.getMessage()).strip();
        String secret = reference.identifier();
        if (status == 429 || status == 408 || status >= 500) {
            Duration wait = e.getResponse() == null ? null
                : RetryAfter.parse(e.getResponse().getHeaderValue("Retry-After"));
            return new TransientFailure("KeyVault" + code, "Key Vault answered " + status + " to reading " + secret
                + ": " + said, status, wait, e);
        }
        if (status == 404) {
            return PermanentFailure.outsideEntra("KeyVaultSecretNotFound", "Key Vault has no secret " + secret
                + " (" + said + "). Store the account's SCIM token under that name, or correct scimTokenSecret, then "
                + "send the PUT again.", status, e);
        }
        if (status == 403 && "SecretDisabled".equals(inner)) {
            return PermanentFailure.outsideEntra("KeyVaultSecretDisabled", "The Key Vault secret " + secret
                + " is disabled. Enable it or name another version, then send the PUT again.", status, e);
        }
        if (status == 403) {
            return PermanentFailure.outsideEntra("KeyVaultAccessDenied", "Key Vault denied the app's identity "
                + "reading " + secret + " (" + said + "). Give the identity the role Key Vault Secrets User on the "
                + "vault or the secret, then send the PUT again.", status, e);
        }
        if (status == 401) {
            return PermanentFailure.outsideEntra("KeyVaultUnauthorized", "Key Vault did not accept the app's "
                + "identity for " + secret + " (" + said + "). Check that the vault is in the identity's tenant.",
                status, e);
        }
        return PermanentFailure.outsideEntra("KeyVault" + code, "Key Vault answered " + status + " to reading "
            + secret + ": " + said, status, e);
    }

    /** The error body Key Vault sent, or an empty object when there was none to read. */
    private static JsonNode errorBody(HttpResponseException e) {
        try {
            Object value = e.getValue();
            if (value instanceof BinaryData data) {
                return JSON.readTree(data.toString());
            }
            if (value instanceof Map<?, ?> || value instanceof JsonNode) {
                return JSON.valueToTree(value);
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            int start = message.indexOf('{');
            return start < 0 ? JSON.createObjectNode() : JSON.readTree(message.substring(start, message.lastIndexOf('}')
                + 1));
        } catch (IOException | RuntimeException unreadable) {
            return JSON.createObjectNode();
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A secret's value and the version it came from.
     *
     * @param value the SCIM token; never logged
     * @param version the version read
     */
    public record SecretValue(String value, String version) {
        @Override
        public String toString() {
            return "SecretValue[version=" + version + "]";
        }
    }
}
