package dev.scimonboard.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A message on a step's queue. It names the account, the run it belongs to and where in that run it stands; the
 * ids found so far live in the status table, which the step reads. It never holds a secret.
 *
 * @param version the message format's version
 * @param accountId the Cloudflare account
 * @param runId the run this message belongs to; a message of a replaced run is dropped
 * @param correlationId the id that every log line of the run carries
 * @param step the step to run, by queue name
 * @param sequence the step's number within the run; a message whose number has passed is stale
 * @param attempt the attempt within the step, from 1
 * @param stepStartedAt when the step's first attempt was sent, for its deadline
 */
public record StepMessage(
    @JsonProperty("v") int version,
    String accountId,
    String runId,
    String correlationId,
    String step,
    long sequence,
    int attempt,
    Instant stepStartedAt) {

    /** The current message format. */
    public static final int CURRENT_VERSION = 1;

    /**
     * The first message of a step.
     *
     * @param accountId the account
     * @param runId the run
     * @param correlationId the correlation id
     * @param step the step
     * @param sequence the step's number in the run
     * @param now the time
     * @return the message
     */
    public static StepMessage first(String accountId, String runId, String correlationId, StepName step,
        long sequence, Instant now) {
        return new StepMessage(CURRENT_VERSION, accountId, runId, correlationId, step.queueName(), sequence, 1, now);
    }

    /** The message for this step's next attempt. */
    public StepMessage nextAttempt() {
        return new StepMessage(version, accountId, runId, correlationId, step, sequence, attempt + 1, stepStartedAt);
    }
}
