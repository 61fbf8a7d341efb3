package dev.scimonboard.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A message on the send-callback queue: one attempt to POST an ended run's status document to the run's callback
 * URL. The URL and the document are read from the status table when the attempt runs; the message never holds a
 * secret.
 *
 * @param version the message format's version
 * @param accountId the Cloudflare account
 * @param runId the ended run; a message of a replaced run is dropped, since the new run has its own callback
 * @param correlationId the run's correlation id, for the log
 * @param outcome how the run ended: {@code succeeded} or {@code failed}
 * @param attempt the attempt, from 1
 * @param firstAttemptAt when the first attempt was sent, for the delivery window
 */
public record CallbackMessage(
    @JsonProperty("v") int version,
    String accountId,
    String runId,
    String correlationId,
    String outcome,
    int attempt,
    Instant firstAttemptAt) {

    /** The current message format. */
    public static final int CURRENT_VERSION = 1;

    /** The message for the next attempt. */
    public CallbackMessage nextAttempt() {
        return new CallbackMessage(version, accountId, runId, correlationId, outcome, attempt + 1, firstAttemptAt);
    }
}
