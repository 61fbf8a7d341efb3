package dev.scimonboard.steps;

import static dev.scimonboard.Logs.line;

import com.microsoft.graph.models.SynchronizationSecret;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.cloudflare.AccountToken;
import dev.scimonboard.cloudflare.CloudflareClient;
import dev.scimonboard.cloudflare.ScimToken;
import dev.scimonboard.graph.CredentialsRejected;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.keyvault.KeyVaultSecrets;
import dev.scimonboard.keyvault.SecretReference;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Saves the account's SCIM endpoint and a SCIM token as the synchronization job's secrets, in one call. The token is
 * minted in Cloudflare, or read from the Key Vault secret the request named. Its value lives only inside this
 * invocation; only the minted token's id, or the secret's version, is recorded. Tokens this project minted for the
 * account before are deleted afterwards, so tokens do not pile up. A run over an onboarding whose minted token is
 * saved and still accepted (a PUT repairing other pieces) keeps it.
 */
public final class SaveSecrets implements Step {
    /** The start of every token name this project gives; tokens so named belong to it. */
    static final String TOKEN_NAME_PREFIX = "Entra SCIM provisioning";
    /** Entra's notification settings: no e-mails from the job, no delete threshold. */
    static final String NOTIFICATION_SETTINGS = "{\"Enabled\":false,\"DeleteThresholdEnabled\":false}";

    private static final Logger LOG = Logger.getLogger(SaveSecrets.class.getName());

    private final EntraClient entra;
    private final CloudflareClient cloudflare;
    private final KeyVaultSecrets keyVault;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     * @param cloudflare the Cloudflare client
     * @param keyVault the reader of SCIM tokens kept in Key Vault
     */
    public SaveSecrets(EntraClient entra, CloudflareClient cloudflare, KeyVaultSecrets keyVault) {
        this.entra = entra;
        this.cloudflare = cloudflare;
        this.keyVault = keyVault;
    }

    @Override
    public StepName name() {
        return StepName.SAVE_SECRETS;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        if (onboarding.desired().scimTokenSecret() != null) {
            return saveFromKeyVault(onboarding);
        }
        String accountId = onboarding.accountId();
        if (savedTokenWorks(onboarding)) {
            return StepResult.completed("the saved SCIM endpoint and token " + onboarding.cloudflareTokenId()
                + " still work; kept them");
        }

        ScimToken token = cloudflare.mintScimToken(accountId, tokenName(onboarding));
        try {
            entra.saveSecrets(onboarding.servicePrincipalId(), secrets(accountId, token.value()));
        } catch (OnboardingFailure e) {
            // The token reached nobody: delete it now rather than leave a live credential behind.
            deleteQuietly(accountId, token.id());
            throw e;
        }

        int deleted = deleteOlderTokens(accountId, token.id());
        return StepResult.completed("saved the SCIM endpoint and token " + token.id() + " (deleted " + deleted
            + " older token" + (deleted == 1 ? "" : "s") + ")", b -> b.cloudflareTokenId(token.id())
            .tokenMintedAt(context.now()).keyVaultSecretVersion(null));
    }

    private StepResult saveFromKeyVault(Onboarding onboarding) {
        String accountId = onboarding.accountId();
        // Checked against the allowed vaults when the request came in.
        SecretReference reference = SecretReference.parse(onboarding.desired().scimTokenSecret());
        KeyVaultSecrets.SecretValue secret = keyVault.read(reference);
        entra.saveSecrets(onboarding.servicePrincipalId(), secrets(accountId, secret.value()));

        // A token minted before the request named a secret is no longer saved anywhere: delete it.
        int deleted = deleteOlderTokens(accountId, null);
        return StepResult.completed("saved the SCIM endpoint and the token from Key Vault secret "
            + reference.identifier() + " version " + secret.version() + (deleted == 0 ? "" : " (deleted " + deleted
            + " token" + (deleted == 1 ? "" : "s") + " minted earlier)"), b -> b.cloudflareTokenId(null)
            .tokenMintedAt(null).keyVaultSecretVersion(secret.version()));
    }

    /**
     * Whether a run over an onboarding that already saved a minted token finds it saved and accepted, so that a PUT
     * repairing other pieces does not replace a working token. A first run has no token to test.
     */
    boolean savedTokenWorks(Onboarding onboarding) {
        if (onboarding.cloudflareTokenId() == null || onboarding.jobId() == null) {
            return false;
        }
        try {
            entra.validateSavedCredentials(onboarding.servicePrincipalId(), onboarding.jobId());
            return true;
        } catch (CredentialsRejected e) {
            LOG.info(line("Entra refused the saved credentials; a new token is needed", "accountId",
                onboarding.accountId(), "reason", e.getMessage()));
            return false;
        }
    }

    /** The job's secrets: the account's SCIM endpoint and token, no full sync by default, no e-mails. */
    Map<SynchronizationSecret, String> secrets(String accountId, String token) {
        Map<SynchronizationSecret, String> secrets = new EnumMap<>(SynchronizationSecret.class);
        secrets.put(SynchronizationSecret.BaseAddress, cloudflare.scimBaseAddress(accountId));
        secrets.put(SynchronizationSecret.SecretToken, token);
        secrets.put(SynchronizationSecret.SyncAll, "false");
        secrets.put(SynchronizationSecret.SyncNotificationSettings, NOTIFICATION_SETTINGS);
        return secrets;
    }

    /**
     * Deletes the tokens this project minted for the account, except the one in use.
     *
     * @param accountId the account
     * @param keep the id of the token in use, or null when none minted is
     * @return how many were deleted
     */
    int deleteOlderTokens(String accountId, String keep) {
        int deleted = 0;
        for (AccountToken stale : cloudflare.tokens(accountId)) {
            if (stale.name().startsWith(TOKEN_NAME_PREFIX) && !stale.id().equals(keep)) {
                cloudflare.deleteToken(accountId, stale.id());
                deleted++;
            }
        }
        return deleted;
    }

    /** The token's name: it says what it is for and which Entra application holds it. */
    static String tokenName(Onboarding onboarding) {
        return TOKEN_NAME_PREFIX + " (Entra app " + onboarding.appId() + ")";
    }

    /** Deletes a token that was never saved, leaving it to the next attempt when Cloudflare does not answer. */
    void deleteQuietly(String accountId, String tokenId) {
        try {
            cloudflare.deleteToken(accountId, tokenId);
        } catch (OnboardingFailure e) {
            // The next attempt deletes it with the other older tokens of this project.
            LOG.warning(line("could not delete an unused token; the next attempt will", "accountId", accountId,
                "tokenId", tokenId, "reason", e.getMessage()));
        }
    }
}
