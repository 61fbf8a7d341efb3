package dev.scimonboard.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A message on the rotate-token queue: replace one account's minted SCIM token. It names the token to replace by id,
 * so that a message whose token has already been replaced only finishes the clean-up. It never holds a secret.
 *
 * @param version the message format's version
 * @param accountId the Cloudflare account
 * @param runId the run of the succeeded onboarding; a message of a replaced run is dropped
 * @param correlationId the id that every log line of the rotation carries
 * @param tokenId the id of the minted token to replace
 * @param attempt the attempt, from 1
 * @param firstAttemptAt when the first attempt was sent, for the deadline
 */
public record RotationMessage(
    @JsonProperty("v") int version,
    String accountId,
    String runId,
    String correlationId,
    String tokenId,
    int attempt,
    Instant firstAttemptAt) {

    /** The current message format. */
    public static final int CURRENT_VERSION = 1;

    /** The message for the next attempt. */
    public RotationMessage nextAttempt() {
        return new RotationMessage(version, accountId, runId, correlationId, tokenId, attempt + 1, firstAttemptAt);
    }
}
