package dev.scimonboard.steps;

import dev.scimonboard.PermanentFailure;
import dev.scimonboard.graph.CredentialsRejected;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;

/** Asks Entra to test the saved credentials against Cloudflare's SCIM endpoint. */
public final class TestConnection implements Step {
    private final EntraClient entra;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     */
    public TestConnection(EntraClient entra) {
        this.entra = entra;
    }

    @Override
    public StepName name() {
        return StepName.TEST_CONNECTION;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        try {
            entra.validateSavedCredentials(onboarding.servicePrincipalId(), onboarding.jobId());
        } catch (CredentialsRejected e) {
            String secret = onboarding.desired().scimTokenSecret();
            String remedy = secret == null
                ? ". Check that SCIM provisioning is enabled for the account (an Enterprise feature) and that "
                    + "CLOUDFLARE_API_TOKEN may grant the SCIM Provisioning permission; then send the PUT again."
                : ". The token came from Key Vault secret " + secret + ": store a SCIM token of this account there "
                    + "(Cloudflare dashboard, SCIM provisioning), check that SCIM provisioning is enabled for the "
                    + "account, then send the PUT again.";
            throw new PermanentFailure("ScimTokenRejected", "Entra could not connect to Cloudflare's SCIM endpoint "
                + "for account " + onboarding.accountId() + " with the saved token: " + e.getMessage() + remedy,
                400, e);
        }
        return StepResult.completed("Entra reached Cloudflare's SCIM endpoint with the saved token");
    }
}
