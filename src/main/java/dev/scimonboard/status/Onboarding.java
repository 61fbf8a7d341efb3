package dev.scimonboard.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one account's onboarding: what was asked, what was found in Entra and Cloudflare, how each step
 * went. It is kept in the status table, one entity per account, and is the status document callers read.
 *
 * <p>The lease and sequence fields belong to the pipeline: they keep one account to one working step at a time
 * and let a step recognise a message that has already been handled.
 *
 * @param accountId the Cloudflare account id (32 lower-case hex characters)
 * @param state where the onboarding stands
 * @param step the step working or next to work
 * @param runId the run this record belongs to; a new request that starts over gets a new one
 * @param correlationId the id that every message and log line of this run carries
 * @param sequence the number of the current step's message within the run; a message with another number is stale
 * @param committedBy the id of the queue message whose step last completed
 * @param leaseOwner the id of the queue message that is working on this account, or null
 * @param leaseUntil when that lease lapses, or null
 * @param desired what the caller asked for
 * @param applicationDisplayName the display name given to the Entra application
 * @param instantiateAttemptedAt when the application was last asked for, or null before that
 * @param applicationId the application object's id, or null
 * @param appId the application (client) id, or null
 * @param servicePrincipalId the service principal's object id, or null
 * @param userRoleId the id of the application's User role, as read with the service principal, or null
 * @param lastCreatedAt when this project last created an Entra object for the account (the application or the
 *     job), or null; a 404 or 403 soon after it is taken for replication
 * @param jobRequestedAt when the job was last asked for and the answer not yet recorded, or null
 * @param jobId the synchronization job's id, or null
 * @param cloudflareTokenId the id of the SCIM token minted for this account, or null (the id, never the value)
 * @param keyVaultSecretVersion the version of the Key Vault secret whose SCIM token was saved, or null when the token
 *     was minted or none is saved yet
 * @param tokenMintedAt when the minted token was minted, or null when none was (or before this was recorded)
 * @param tokenRotation how the last rotation of the minted token went, or null before the first
 * @param callback how the outcome callback of the run is going, or null when none was asked for or the run has not
 *     ended
 * @param jobStatus the synchronization job's last read status code, or null
 * @param health the job's health as the health check last read it, or null before the first check
 * @param history the outcome of each step attempt, oldest first, the most recent ones kept
 * @param error why the onboarding failed, or null
 * @param createdAt when the account was first asked for
 * @param updatedAt when this record last changed
 * @param etag the table entity's version, for optimistic concurrency; not part of the document
 */
public record Onboarding(
    String accountId,
    OnboardingState state,
    String step,
    String runId,
    String correlationId,
    long sequence,
    String committedBy,
    String leaseOwner,
    Instant leaseUntil,
    DesiredState desired,
    String applicationDisplayName,
    Instant instantiateAttemptedAt,
    String applicationId,
    String appId,
    String servicePrincipalId,
    String userRoleId,
    Instant lastCreatedAt,
    Instant jobRequestedAt,
    String jobId,
    String cloudflareTokenId,
    String keyVaultSecretVersion,
    Instant tokenMintedAt,
    TokenRotation tokenRotation,
    CallbackDelivery callback,
    String jobStatus,
    JobHealth health,
    List<HistoryEntry> history,
    OnboardingError error,
    Instant createdAt,
    Instant updatedAt,
    String etag) {

    /** How many history entries are kept; older ones are dropped so the entity stays small. */
    public static final int HISTORY_LIMIT = 40;

    /** Keeps the history immutable and bounded. */
    public Onboarding {
        history = List.copyOf(history.size() > HISTORY_LIMIT
            ? history.subList(history.size() - HISTORY_LIMIT, history.size()) : history);
    }

    /** A builder holding this record's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a changed copy of an {@link Onboarding}. */
    public static final class Builder {
        private String accountId;
        private OnboardingState state;
        private String step;
        private String runId;
        private String correlationId;
        private long sequence;
        private String committedBy;
        private String leaseOwner;
        private Instant leaseUntil;
        private DesiredState desired;
        private String applicationDisplayName;
        private Instant instantiateAttemptedAt;
        private String applicationId;
        private String appId;
        private String servicePrincipalId;
        private String userRoleId;
        private Instant lastCreatedAt;
        private Instant jobRequestedAt;
        private String jobId;
        private String cloudflareTokenId;
        private String keyVaultSecretVersion;
        private Instant tokenMintedAt;
        private TokenRotation tokenRotation;
        private CallbackDelivery callback;
        private String jobStatus;
        private JobHealth health;
        private final List<HistoryEntry> history;
        private OnboardingError error;
        private Instant createdAt;
        private Instant updatedAt;
        private String etag;

        /** A builder with no values, for a new account. */
        public Builder() {
            this.history = new ArrayList<>();
        }

        private Builder(Onboarding o) {
            accountId = o.accountId;
            state = o.state;
            step = o.step;
            runId = o.runId;
            correlationId = o.correlationId;
            sequence = o.sequence;
            committedBy = o.committedBy;
            leaseOwner = o.leaseOwner;
            leaseUntil = o.leaseUntil;
            desired = o.desired;
            applicationDisplayName = o.applicationDisplayName;
            instantiateAttemptedAt = o.instantiateAttemptedAt;
            applicationId = o.applicationId;
            appId = o.appId;
            servicePrincipalId = o.servicePrincipalId;
            userRoleId = o.userRoleId;
            lastCreatedAt = o.lastCreatedAt;
            jobRequestedAt = o.jobRequestedAt;
            jobId = o.jobId;
            cloudflareTokenId = o.cloudflareTokenId;
            keyVaultSecretVersion = o.keyVaultSecretVersion;
            tokenMintedAt = o.tokenMintedAt;
            tokenRotation = o.tokenRotation;
            callback = o.callback;
            jobStatus = o.jobStatus;
            health = o.health;
            history = new ArrayList<>(o.history);
            error = o.error;
            createdAt = o.createdAt;
            updatedAt = o.updatedAt;
            etag = o.etag;
        }

        /** Sets the account id. */
        public Builder accountId(String value) {
            accountId = value;
            return this;
        }

        /** Sets the state. */
        public Builder state(OnboardingState value) {
            state = value;
            return this;
        }

        /** Sets the current step. */
        public Builder step(String value) {
            step = value;
            return this;
        }

        /** Sets the run id. */
        public Builder runId(String value) {
            runId = value;
            return this;
        }

        /** Sets the correlation id. */
        public Builder correlationId(String value) {
            correlationId = value;
            return this;
        }

        /** Sets the message sequence number. */
        public Builder sequence(long value) {
            sequence = value;
            return this;
        }

        /** Sets the id of the message whose step last completed. */
        public Builder committedBy(String value) {
            committedBy = value;
            return this;
        }

        /** Sets or clears the lease. */
        public Builder lease(String owner, Instant until) {
            leaseOwner = owner;
            leaseUntil = until;
            return this;
        }

        /** Sets the desired state. */
        public Builder desired(DesiredState value) {
            desired = value;
            return this;
        }

        /** Sets the application's display name. */
        public Builder applicationDisplayName(String value) {
            applicationDisplayName = value;
            return this;
        }

        /** Sets when the application was last asked for. */
        public Builder instantiateAttemptedAt(Instant value) {
            instantiateAttemptedAt = value;
            return this;
        }

        /** Sets the application object id. */
        public Builder applicationId(String value) {
            applicationId = value;
            return this;
        }

        /** Sets the application (client) id. */
        public Builder appId(String value) {
            appId = value;
            return this;
        }

        /** Sets the service principal id. */
        public Builder servicePrincipalId(String value) {
            servicePrincipalId = value;
            return this;
        }

        /** Sets the id of the application's User role, or clears it. */
        public Builder userRoleId(String value) {
            userRoleId = value;
            return this;
        }

        /** Sets when this project last created an Entra object for the account. */
        public Builder lastCreatedAt(Instant value) {
            lastCreatedAt = value;
            return this;
        }

        /** Sets when the job was asked for, or clears it. */
        public Builder jobRequestedAt(Instant value) {
            jobRequestedAt = value;
            return this;
        }

        /** Sets the synchronization job id. */
        public Builder jobId(String value) {
            jobId = value;
            return this;
        }

        /** Sets the id of the minted Cloudflare token. */
        public Builder cloudflareTokenId(String value) {
            cloudflareTokenId = value;
            return this;
        }

        /** Sets the version of the Key Vault secret whose token was saved, or clears it. */
        public Builder keyVaultSecretVersion(String value) {
            keyVaultSecretVersion = value;
            return this;
        }

        /** Sets when the minted token was minted, or clears it. */
        public Builder tokenMintedAt(Instant value) {
            tokenMintedAt = value;
            return this;
        }

        /** Sets the outcome of the last token rotation. */
        public Builder tokenRotation(TokenRotation value) {
            tokenRotation = value;
            return this;
        }

        /** Sets or clears how the run's outcome callback is going. */
        public Builder callback(CallbackDelivery value) {
            callback = value;
            return this;
        }

        /** Sets the synchronization job's status code. */
        public Builder jobStatus(String value) {
            jobStatus = value;
            return this;
        }

        /** Sets the job's health, or clears it. */
        public Builder health(JobHealth value) {
            health = value;
            return this;
        }

        /** Adds a history entry. */
        public Builder addHistory(HistoryEntry entry) {
            history.add(entry);
            return this;
        }

        /** Removes every history entry. */
        public Builder clearHistory() {
            history.clear();
            return this;
        }

        /** Sets or clears the error. */
        public Builder error(OnboardingError value) {
            error = value;
            return this;
        }

        /** Sets when the account was first asked for. */
        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        /** Sets when the record last changed. */
        public Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        /** Sets the entity version. */
        public Builder etag(String value) {
            etag = value;
            return this;
        }

        /** The record with the values set. */
        public Onboarding build() {
            return new Onboarding(accountId, state, step, runId, correlationId, sequence, committedBy, leaseOwner,
                leaseUntil, desired, applicationDisplayName, instantiateAttemptedAt, applicationId, appId,
                servicePrincipalId, userRoleId, lastCreatedAt, jobRequestedAt, jobId, cloudflareTokenId,
                keyVaultSecretVersion, tokenMintedAt, tokenRotation, callback, jobStatus, health, history, error,
                createdAt, updatedAt, etag);
        }
    }
}
