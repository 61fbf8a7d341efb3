package dev.scimonboard.pipeline;

import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.status.Onboarding;

/** The Cloudflare and Graph work of a token rotation, which {@link RotationRunner} runs under the pipeline's rules. */
public interface TokenRotator {
    /**
     * Mints a new SCIM token, has Entra test it before anything is saved, then saves it as the job's token. A token
     * that was not saved is deleted before this throws.
     *
     * @param onboarding the succeeded onboarding whose minted token is due
     * @return the new token's id
     * @throws OnboardingFailure permanent when Entra rejected the new token; transient when a service did not answer
     */
    String rotate(Onboarding onboarding);

    /**
     * Deletes the tokens this project minted for the account, except the one saved.
     *
     * @param onboarding the onboarding
     * @param keep the id of the saved token
     * @return how many were deleted
     * @throws OnboardingFailure when Cloudflare did not answer
     */
    int deleteReplaced(Onboarding onboarding, String keep);
}
