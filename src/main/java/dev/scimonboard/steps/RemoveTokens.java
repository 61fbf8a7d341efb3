package dev.scimonboard.steps;

import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;

/** Offboarding's last step: deletes every Cloudflare token this project minted for the account. */
public final class RemoveTokens implements Step {
    private final SaveSecrets secrets;

    /**
     * Creates the step.
     *
     * @param secrets the save-secrets step, which knows the project's tokens by their name
     */
    public RemoveTokens(SaveSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public StepName name() {
        return StepName.REMOVE_TOKENS;
    }

    @Override
    public StepResult run(StepContext context) {
        int deleted = secrets.deleteOlderTokens(context.onboarding().accountId(), null);
        return StepResult.completed("deleted " + deleted + " Cloudflare token" + (deleted == 1 ? "" : "s")
            + " minted for the account", b -> b.cloudflareTokenId(null).tokenMintedAt(null));
    }
}
