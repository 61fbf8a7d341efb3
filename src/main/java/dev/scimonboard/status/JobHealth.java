package dev.scimonboard.status;

import java.time.Instant;

/**
 * How an onboarded account's synchronization job was doing when the health check last read it.
 *
 * @param statusCode the job's status code: {@code Active}, {@code Paused}, {@code Quarantine}, {@code NotRun}, ...
 * @param quarantineReason why Entra quarantined it, such as {@code EncounteredQuarantineException}, or null
 * @param quarantineSince when the current quarantine began, or null
 * @param quarantineErrorCode the error behind the quarantine, or null
 * @param quarantineErrorMessage that error's message, or null
 * @param lastExecutionState how the last provisioning cycle ended ({@code Succeeded}, {@code Failed},
 *     {@code EntryLevelErrors}), or null before the first
 * @param lastExecutionEnded when it ended, or null
 * @param countEntitled how many users and groups the last cycle found in scope, or null
 * @param countExported how many changes it wrote to Cloudflare, or null
 * @param checkedAt when the job was read
 */
public record JobHealth(String statusCode, String quarantineReason, Instant quarantineSince,
    String quarantineErrorCode, String quarantineErrorMessage, String lastExecutionState, Instant lastExecutionEnded,
    Long countEntitled, Long countExported, Instant checkedAt) {

    /** The job is in quarantine. */
    public static final String QUARANTINED = "quarantined";
    /** The job is paused. */
    public static final String PAUSED = "paused";
    /** The job is neither. */
    public static final String HEALTHY = "healthy";

    /** The health as one word, for filtering: {@code quarantined}, {@code paused} or {@code healthy}. */
    public String state() {
        if ("Quarantine".equalsIgnoreCase(statusCode)) {
            return QUARANTINED;
        }
        return "Paused".equalsIgnoreCase(statusCode) ? PAUSED : HEALTHY;
    }

    /** The same reading, stamped with when it was made. */
    public JobHealth checkedAt(Instant at) {
        return new JobHealth(statusCode, quarantineReason, quarantineSince, quarantineErrorCode, quarantineErrorMessage,
            lastExecutionState, lastExecutionEnded, countEntitled, countExported, at);
    }
}
