package dev.scimonboard.pipeline;

import static dev.scimonboard.Logs.line;

import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.Settings;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.status.HistoryEntry;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.OnboardingError;
import dev.scimonboard.status.OnboardingState;
import dev.scimonboard.status.StatusConflict;
import dev.scimonboard.status.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one step message under the rules every step follows, so that no step repeats them:
 * <ul>
 * <li>a message of a replaced run, of an ended onboarding, or whose step has already completed is dropped;</li>
 * <li>one message at a time works on an account: it holds a lease in the status entity, written with its ETag;</li>
 * <li>the outcome is recorded before the next step's message is sent, and a message whose step completed but
 * whose hand-on may have been lost in a crash sends it again;</li>
 * <li>transient failures are retried with backoff as delayed messages until the step's deadline; a 404 or 403
 * soon after this project created an Entra object for the account counts as replication; permanent failures fail the
 * onboarding with their reason;</li>
 * <li>anything unexpected is thrown to the Functions host, which retries the message and finally moves it to the
 * poison queue, where {@link #handlePoison} marks the onboarding failed;</li>
 * <li>once a run has ended and its final status is recorded, {@link OutcomeCallbacks} hears of it.</li>
 * </ul>
 */
public final class StepRunner {
    /** How long a message may work on an account before another may take over. */
    static final Duration LEASE = Duration.ofSeconds(90);

    private static final Logger LOG = Logger.getLogger(StepRunner.class.getName());
    private static final int MAX_CONFLICT_RETRIES = 10;

    private final Map<StepName, Step> steps = new EnumMap<>(StepName.class);
    private final StatusStore store;
    private final StepQueues queues;
    private final Settings settings;
    private final Clock clock;
    private final OutcomeCallbacks callbacks;

    /**
     * Creates the runner.
     *
     * @param steps one implementation of each step
     * @param store the status table
     * @param queues the step queues
     * @param settings for the step deadline and the replication window
     * @param clock the clock
     */
    public StepRunner(List<Step> steps, StatusStore store, StepQueues queues, Settings settings, Clock clock) {
        this(steps, store, queues, settings, clock, OutcomeCallbacks.NONE);
    }

    /**
     * Creates the runner, telling {@code callbacks} of every run that ends.
     *
     * @param steps one implementation of each step
     * @param store the status table
     * @param queues the step queues
     * @param settings for the step deadline and the replication window
     * @param clock the clock
     * @param callbacks told of each ended run, after its final status is recorded
     */
    public StepRunner(List<Step> steps, StatusStore store, StepQueues queues, Settings settings, Clock clock,
        OutcomeCallbacks callbacks) {
        for (Step step : steps) {
            this.steps.put(step.name(), step);
        }
        for (StepName name : StepName.values()) {
            if (!this.steps.containsKey(name)) {
                throw new IllegalArgumentException("no implementation of step " + name.queueName());
            }
        }
        this.store = store;
        this.queues = queues;
        this.settings = settings;
        this.clock = clock;
        this.callbacks = callbacks;
    }

    /**
     * Handles one message from a step's queue.
     *
     * @param step the queue's step
     * @param text the message text
     * @param messageId the queue message id, stable across redeliveries of the same message
     * @throws RuntimeException for the host to retry the message, when something unexpected failed
     */
    public void handle(StepName step, String text, String messageId) {
        StepMessage message;
        try {
            message = StepQueues.read(text);
        } catch (IllegalArgumentException e) {
            LOG.severe(line("dropped a message that is not a step message", "queue", step.queueName(),
                "messageId", messageId, "reason", e.getMessage()));
            return;
        }
        if (!step.queueName().equals(message.step())) {
            drop(message, messageId, "it names step " + message.step() + " but arrived on " + step.queueName());
            return;
        }
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            try {
                handleOnce(step, message, messageId);
                return;
            } catch (StatusConflict e) {
                LOG.fine(line("status changed while the step ran; reading it again", "accountId",
                    message.accountId(), "correlationId", message.correlationId(), "step", step.queueName()));
            }
        }
        throw new IllegalStateException("the status of account " + message.accountId()
            + " kept changing while step " + step.queueName() + " ran");
    }

    /**
     * Handles a message that the host moved to a step's poison queue: marks its onboarding failed, so that nothing
     * fails silently.
     *
     * @param step the step whose poison queue it came from
     * @param text the message text
     */
    public void handlePoison(StepName step, String text) {
        StepMessage message;
        try {
            message = StepQueues.read(text);
        } catch (IllegalArgumentException e) {
            LOG.severe(line("a poison message is not a step message; nothing to mark", "queue",
                step.poisonQueueName(), "reason", e.getMessage()));
            return;
        }
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            Optional<Onboarding> found = store.find(message.accountId());
            if (found.isEmpty() || !found.get().runId().equals(message.runId()) || found.get().state().ended()
                || found.get().sequence() != message.sequence()) {
                LOG.info(line("poison message belongs to no running step; nothing to mark", "accountId",
                    message.accountId(), "correlationId", message.correlationId(), "step", step.queueName()));
                if (found.isPresent() && found.get().runId().equals(message.runId()) && found.get().state().ended()) {
                    // Marked by an earlier delivery of this message, which may have stopped before calling back.
                    callbacks.runEnded(found.get());
                }
                return;
            }
            Onboarding onboarding = found.get();
            Instant now = clock.instant();
            String reason = "The " + step.queueName() + " step failed on every delivery of its message with an "
                + "unexpected error. Look for correlationId=" + message.correlationId()
                + " in the logs, fix the cause, then send the " + (step.offboarding() ? "DELETE" : "PUT")
                + " again to retry.";
            try {
                Onboarding failed = store.replace(onboarding.toBuilder()
                    .state(OnboardingState.FAILED)
                    .error(new OnboardingError(step.queueName(), "StepFailedRepeatedly", reason))
                    .addHistory(new HistoryEntry(step.queueName(), "failed", message.attempt(), now, reason))
                    .lease(null, null)
                    .updatedAt(now)
                    .build());
                LOG.warning(line("onboarding failed: its message reached the poison queue", "accountId",
                    message.accountId(), "correlationId", message.correlationId(), "step", step.queueName()));
                callbacks.runEnded(failed);
                return;
            } catch (StatusConflict e) {
                LOG.fine(line("status changed while marking a poison message; reading it again", "accountId",
                    message.accountId()));
            }
        }
        throw new IllegalStateException("the status of account " + message.accountId() + " kept changing");
    }

    private void handleOnce(StepName stepName, StepMessage message, String messageId) {
        Instant now = clock.instant();
        Optional<Onboarding> found = store.find(message.accountId());
        if (found.isEmpty()) {
            drop(message, messageId, "the account has no onboarding");
            return;
        }
        Onboarding onboarding = found.get();
        if (!message.runId().equals(onboarding.runId())) {
            drop(message, messageId, "a newer request replaced its run");
            return;
        }
        if (onboarding.state().ended()) {
            drop(message, messageId, "the onboarding has already " + onboarding.state().wireName());
            // The delivery that ended the run may have stopped before calling back; a callback is made once per run.
            callbacks.runEnded(onboarding);
            return;
        }
        if (message.sequence() < onboarding.sequence()) {
            if (messageId.equals(onboarding.committedBy())) {
                // This very message completed its step, and the host is delivering it again: the process may have
                // stopped before the next step's message was sent, so send it. A duplicate is dropped later.
                handOn(onboarding, now);
                LOG.info(line("step had completed; sent the next step's message again", "accountId",
                    message.accountId(), "correlationId", message.correlationId(), "step", onboarding.step()));
            } else {
                drop(message, messageId, "its step has already completed");
            }
            return;
        }
        if (message.sequence() > onboarding.sequence() || !stepName.queueName().equals(onboarding.step())) {
            drop(message, messageId, "it does not match the onboarding's current step " + onboarding.step());
            return;
        }
        if (onboarding.leaseOwner() != null && !onboarding.leaseOwner().equals(messageId)
            && onboarding.leaseUntil() != null && onboarding.leaseUntil().isAfter(now)) {
            Duration wait = Duration.between(now, onboarding.leaseUntil()).plusSeconds(1);
            queues.send(message, wait);
            LOG.info(line("another message is working on the account; trying again after its lease", "accountId",
                message.accountId(), "correlationId", message.correlationId(), "step", stepName.queueName(),
                "delaySeconds", wait.toSeconds()));
            return;
        }

        Onboarding leased = store.replace(onboarding.toBuilder()
            .lease(messageId, now.plus(LEASE))
            .state(stepName.offboarding() ? OnboardingState.DELETING : OnboardingState.RUNNING)
            .updatedAt(now)
            .build());
        LeasedContext context = new LeasedContext(leased, message.attempt());
        LOG.info(line("step started", "accountId", message.accountId(), "correlationId", message.correlationId(),
            "step", stepName.queueName(), "attempt", message.attempt()));

        StepResult result;
        try {
            result = steps.get(stepName).run(context);
        } catch (OnboardingFailure failure) {
            handleFailure(stepName, message, context.current, classify(failure, context.current));
            return;
        } catch (StatusConflict e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, line("step failed unexpectedly; the host will deliver the message again",
                "accountId", message.accountId(), "correlationId", message.correlationId(), "step",
                stepName.queueName(), "attempt", message.attempt()), e);
            releaseQuietly(context.current);
            throw e;
        }

        if (result instanceof StepResult.Completed completed) {
            complete(stepName, message, messageId, context.current, completed);
        } else if (result instanceof StepResult.Wait wait) {
            retryLater(stepName, message, context.current, wait.changes(), wait.delay(), "waiting", wait.reason(),
                "StepDeadlineExceeded");
        }
    }

    private void complete(StepName stepName, StepMessage message, String messageId, Onboarding current,
        StepResult.Completed completed) {
        Instant now = clock.instant();
        Optional<StepName> next = stepName.next();
        Onboarding.Builder builder = completed.changes().apply(current.toBuilder())
            .lease(null, null)
            .committedBy(messageId)
            .addHistory(new HistoryEntry(stepName.queueName(), "completed", message.attempt(), now,
                completed.detail()))
            .updatedAt(now);
        if (next.isPresent()) {
            builder.step(next.get().queueName()).sequence(current.sequence() + 1);
        } else if (stepName.offboarding()) {
            // Everything found is gone; a later PUT starts from nothing rather than from deleted ids.
            builder.state(OnboardingState.DELETED)
                .applicationId(null).appId(null).servicePrincipalId(null).userRoleId(null).jobId(null).jobStatus(null)
                .instantiateAttemptedAt(null).jobRequestedAt(null).lastCreatedAt(null)
                .cloudflareTokenId(null).tokenMintedAt(null).keyVaultSecretVersion(null);
        } else {
            builder.state(OnboardingState.SUCCEEDED);
        }
        Onboarding committed = store.replace(builder.build());
        if (next.isPresent()) {
            handOn(committed, now);
        }
        LOG.info(line(next.isPresent() ? "step completed; handed on"
            : stepName.offboarding() ? "offboarding completed" : "onboarding succeeded", "accountId",
            message.accountId(), "correlationId", message.correlationId(), "step", stepName.queueName(), "next",
            next.map(StepName::queueName).orElse(null), "detail", completed.detail()));
        if (next.isEmpty()) {
            callbacks.runEnded(committed);
        }
    }

    private void handOn(Onboarding onboarding, Instant now) {
        StepName next = StepName.fromQueueName(onboarding.step())
            .orElseThrow(() -> new IllegalStateException("unknown step " + onboarding.step()));
        queues.send(StepMessage.first(onboarding.accountId(), onboarding.runId(), onboarding.correlationId(), next,
            onboarding.sequence(), now), Duration.ZERO);
    }

    private OnboardingFailure classify(OnboardingFailure failure, Onboarding onboarding) {
        // Only Entra replicates: a 404 or 403 from Cloudflare or Key Vault means what it says.
        boolean replicationAnswer = failure instanceof PermanentFailure && failure.fromEntra()
            && (failure.httpStatus() == 404 || failure.httpStatus() == 403);
        Instant createdAt = onboarding.lastCreatedAt();
        if (replicationAnswer && createdAt != null
            && clock.instant().isBefore(createdAt.plus(settings.replicationWindow()))) {
            return new TransientFailure("ReplicationPending", "Entra has not finished replicating the new "
                + "application yet (" + failure.getMessage() + ")", failure.httpStatus(), null, failure);
        }
        return failure;
    }

    private void handleFailure(StepName stepName, StepMessage message, Onboarding current,
        OnboardingFailure failure) {
        if (failure instanceof TransientFailure transientFailure) {
            // Backoff grows with this step's failures, not its attempts: waits for replication are attempts too,
            // and counting them would push the retry after one failure as far out as after many.
            int failures = 1 + (int) current.history().stream()
                .filter(entry -> stepName.queueName().equals(entry.step()) && "retrying".equals(entry.outcome())
                    && !entry.at().isBefore(message.stepStartedAt()))
                .count();
            Duration delay = Backoff.delay(failures, transientFailure.retryAfter());
            retryLater(stepName, message, current, UnaryOperator.identity(), delay, "retrying",
                failure.getMessage(), failure.code());
            return;
        }
        fail(stepName, message, current, failure.code(), failure.getMessage());
    }

    private void retryLater(StepName stepName, StepMessage message, Onboarding current,
        UnaryOperator<Onboarding.Builder> changes, Duration delay, String outcome, String reason, String code) {
        Instant now = clock.instant();
        Instant deadline = message.stepStartedAt().plus(settings.stepDeadline());
        if (!now.plus(delay).isBefore(deadline)) {
            fail(stepName, message, current, "StepDeadlineExceeded", "The " + stepName.queueName()
                + " step did not complete within " + settings.stepDeadline().toMinutes() + " minutes ("
                + code + "): " + reason + ". Send the " + (stepName.offboarding() ? "DELETE" : "PUT")
                + " again to retry once the cause is fixed.");
            return;
        }
        store.replace(changes.apply(current.toBuilder())
            .lease(null, null)
            .addHistory(new HistoryEntry(stepName.queueName(), outcome, message.attempt(), now, reason))
            .updatedAt(now)
            .build());
        queues.send(message.nextAttempt(), delay);
        LOG.info(line("step will run again", "accountId", message.accountId(), "correlationId",
            message.correlationId(), "step", stepName.queueName(), "attempt", message.attempt(), "outcome", outcome,
            "delayMillis", delay.toMillis(), "reason", reason));
    }

    private void fail(StepName stepName, StepMessage message, Onboarding current, String code, String reason) {
        Instant now = clock.instant();
        Onboarding failed = store.replace(current.toBuilder()
            .state(OnboardingState.FAILED)
            .error(new OnboardingError(stepName.queueName(), code, reason))
            .addHistory(new HistoryEntry(stepName.queueName(), "failed", message.attempt(), now, reason))
            .lease(null, null)
            .updatedAt(now)
            .build());
        LOG.warning(line("onboarding failed", "accountId", message.accountId(), "correlationId",
            message.correlationId(), "step", stepName.queueName(), "code", code, "reason", reason));
        callbacks.runEnded(failed);
    }

    private void releaseQuietly(Onboarding current) {
        try {
            store.replace(current.toBuilder().lease(null, null).build());
        } catch (RuntimeException e) {
            // The lease lapses on its own; the redelivered message, holding the same id, may take it back anyway.
            LOG.fine(line("could not release the lease", "accountId", current.accountId()));
        }
    }

    private static void drop(StepMessage message, String messageId, String reason) {
        LOG.info(line("dropped a message: " + reason, "accountId", message.accountId(), "correlationId",
            message.correlationId(), "step", message.step(), "messageId", messageId));
    }

    /** The context of a step that holds its account's lease; every record it makes keeps the ETag current. */
    private final class LeasedContext implements StepContext {
        private Onboarding current;
        private final int attempt;

        LeasedContext(Onboarding current, int attempt) {
            this.current = current;
            this.attempt = attempt;
        }

        @Override
        public Onboarding onboarding() {
            return current;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        public void record(UnaryOperator<Onboarding.Builder> changes) {
            current = store.replace(changes.apply(current.toBuilder()).updatedAt(clock.instant()).build());
        }
    }
}
