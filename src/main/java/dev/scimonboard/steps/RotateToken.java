package dev.scimonboard.steps;

import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.cloudflare.CloudflareClient;
import dev.scimonboard.cloudflare.ScimToken;
import dev.scimonboard.graph.CredentialsRejected;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.pipeline.TokenRotator;
import dev.scimonboard.status.Onboarding;

/**
 * Replaces an account's minted SCIM token: mint a new one, have Entra test it against Cloudflare's SCIM endpoint
 * without saving it, save it, and leave deleting the old one to the runner once the new one is recorded. Testing
 * before saving is what keeps a rejected token from ever replacing a working one.
 */
public final class RotateToken implements TokenRotator {
    private final EntraClient entra;
    private final CloudflareClient cloudflare;
    private final SaveSecrets secrets;

    /**
     * Creates the rotation.
     *
     * @param entra the Entra client
     * @param cloudflare the Cloudflare client
     * @param secrets the save-secrets step, whose secrets and token clean-up rotation shares
     */
    public RotateToken(EntraClient entra, CloudflareClient cloudflare, SaveSecrets secrets) {
        this.entra = entra;
        this.cloudflare = cloudflare;
        this.secrets = secrets;
    }

    @Override
    public String rotate(Onboarding onboarding) {
        String accountId = onboarding.accountId();
        ScimToken token = cloudflare.mintScimToken(accountId, SaveSecrets.tokenName(onboarding));
        try {
            entra.validateCredentials(onboarding.servicePrincipalId(), onboarding.jobId(),
                secrets.secrets(accountId, token.value()));
        } catch (CredentialsRejected e) {
            secrets.deleteQuietly(accountId, token.id());
            throw new PermanentFailure("ScimTokenRejected", "Entra could not connect to Cloudflare's SCIM endpoint "
                + "for account " + accountId + " with the new token: " + e.getMessage() + ". Check that SCIM "
                + "provisioning is still enabled for the account and that CLOUDFLARE_API_TOKEN may still grant the "
                + "SCIM Provisioning permission.", 400, e);
        } catch (OnboardingFailure e) {
            secrets.deleteQuietly(accountId, token.id());
            throw e;
        }

        try {
            entra.saveSecrets(onboarding.servicePrincipalId(), secrets.secrets(accountId, token.value()));
        } catch (OnboardingFailure e) {
            // Only an answer that says nothing was saved lets the new token go: after a timeout or a 5xx Entra may
            // hold it, so both tokens stay alive and the clean-up after a later successful save removes the spare.
            if (e instanceof PermanentFailure || e.httpStatus() == 429) {
                secrets.deleteQuietly(accountId, token.id());
            }
            throw e;
        }
        return token.id();
    }

    @Override
    public int deleteReplaced(Onboarding onboarding, String keep) {
        return secrets.deleteOlderTokens(onboarding.accountId(), keep);
    }
}
