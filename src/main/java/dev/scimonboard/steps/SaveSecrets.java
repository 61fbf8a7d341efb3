package dev.scimonboard.steps;

import com.microsoft.graph.models.SynchronizationSecret;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.cloudflare.AccountToken;
import dev.scimonboard.cloudflare.CloudflareClient;
import dev.scimonboard.cloudflare.ScimToken;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Mints a SCIM token for the account in Cloudflare and saves it, with the account's SCIM endpoint, as the
 * synchronization job's secrets in one call. The token's value lives only inside this invocation; only its id is
 * recorded. Older tokens this project minted for the account are deleted afterwards, so tokens do not pile up.
 */
public final class SaveSecrets implements Step {
    /** The start of every token name this project gives; tokens so named belong to it. */
    static final String TOKEN_NAME_PREFIX = "Entra SCIM provisioning";
    /** Entra's notification settings: no e-mails from the job, no delete threshold. */
    static final String NOTIFICATION_SETTINGS = "{\"Enabled\":false,\"DeleteThresholdEnabled\":false}";

    private static final Logger LOG = Logger.getLogger(SaveSecrets.class.getName());

    private final EntraClient entra;
    private final CloudflareClient cloudflare;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     * @param cloudflare the Cloudflare client
     */
    public SaveSecrets(EntraClient entra, CloudflareClient cloudflare) {
        this.entra = entra;
        this.cloudflare = cloudflare;
    }

    @Override
    public StepName name() {
        return StepName.SAVE_SECRETS;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        String accountId = onboarding.accountId();

        ScimToken token = cloudflare.mintScimToken(accountId, tokenName(onboarding));
        Map<SynchronizationSecret, String> secrets = new EnumMap<>(SynchronizationSecret.class);
        secrets.put(SynchronizationSecret.BaseAddress, cloudflare.scimBaseAddress(accountId));
        secrets.put(SynchronizationSecret.SecretToken, token.value());
        secrets.put(SynchronizationSecret.SyncAll, "false");
        secrets.put(SynchronizationSecret.SyncNotificationSettings, NOTIFICATION_SETTINGS);
        try {
            entra.saveSecrets(onboarding.servicePrincipalId(), secrets);
        } catch (OnboardingFailure e) {
            // The token reached nobody: delete it now rather than leave a live credential behind.
            deleteQuietly(accountId, token.id());
            throw e;
        }

        int deleted = 0;
        for (AccountToken stale : cloudflare.tokens(accountId)) {
            if (stale.name().startsWith(TOKEN_NAME_PREFIX) && !stale.id().equals(token.id())) {
                cloudflare.deleteToken(accountId, stale.id());
                deleted++;
            }
        }
        return StepResult.completed("saved the SCIM endpoint and token " + token.id() + " (deleted " + deleted
            + " older token" + (deleted == 1 ? "" : "s") + ")", b -> b.cloudflareTokenId(token.id()));
    }

    /** The token's name: it says what it is for and which Entra application holds it. */
    static String tokenName(Onboarding onboarding) {
        return TOKEN_NAME_PREFIX + " (Entra app " + onboarding.appId() + ")";
    }

    private void deleteQuietly(String accountId, String tokenId) {
        try {
            cloudflare.deleteToken(accountId, tokenId);
        } catch (OnboardingFailure e) {
            // The next attempt deletes it with the other older tokens of this project.
            LOG.warning(dev.scimonboard.Logs.line("could not delete an unused token; the next attempt will",
                "accountId", accountId, "tokenId", tokenId, "reason", e.getMessage()));
        }
    }
}
