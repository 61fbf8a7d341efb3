package dev.scimonboard.pipeline;

import static dev.scimonboard.Logs.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.status.HistoryEntry;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.OnboardingState;
import dev.scimonboard.status.StatusConflict;
import dev.scimonboard.status.StatusPage;
import dev.scimonboard.status.StatusStore;
import dev.scimonboard.status.TokenRotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Rotates the SCIM tokens this project minted, once they are older than the configured age. The timer run picks the
 * succeeded onboardings that are due and sends one message each; the message's handler replaces the token:
 * <ul>
 * <li>the new token is tested by Entra before it is saved, and the old one is deleted only after the new one is
 * saved, so an account always has a working token;</li>
 * <li>a rejected new token is deleted and the rotation is recorded as failed on the status document, with the old
 * token still saved and working; the next rotation run after a day tries again;</li>
 * <li>the account's lease in the status entity keeps a rotation and an onboarding run from working at once, and a
 * message whose token was already replaced only deletes what is left of the old one.</li>
 * </ul>
 */
public final class RotationRunner {
    /** Step name of rotations in status history. */
    public static final String STEP = Queues.ROTATE_TOKEN;
    /** A failed rotation is tried again by the first timer run after this long. */
    static final Duration RETRY_FAILED_AFTER = Duration.ofDays(1);
    /** Messages of one timer run are spread at this pace, so rotations stay well inside Graph's write budget. */
    static final Duration SPACING = Duration.ofMillis(500);
    /** The most rotations one timer run sends; the rest wait for the next run. */
    static final int MAX_PER_RUN = 1000;

    private static final Logger LOG = Logger.getLogger(RotationRunner.class.getName());
    private static final int PAGE_SIZE = 100;
    private static final int MAX_CONFLICT_RETRIES = 10;
    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final StatusStore store;
    private final TokenRotator rotator;
    private final BiConsumer<String, Duration> sender;
    private final Optional<Duration> maxAge;
    private final Duration deadline;
    private final Clock clock;

    /**
     * Creates the runner.
     *
     * @param store the status table
     * @param rotator the Cloudflare and Graph work
     * @param sender sends a message's text to the rotate-token queue, invisible for the given delay
     * @param maxAge how old a minted token may grow; empty when rotation is off
     * @param deadline how long one rotation may keep retrying
     * @param clock the clock
     */
    public RotationRunner(StatusStore store, TokenRotator rotator, BiConsumer<String, Duration> sender,
        Optional<Duration> maxAge, Duration deadline, Clock clock) {
        this.store = store;
        this.rotator = rotator;
        this.sender = sender;
        this.maxAge = maxAge;
        this.deadline = deadline;
        this.clock = clock;
    }

    /**
     * One timer run: sends a rotation message for every succeeded onboarding whose minted token is due.
     *
     * @param runName names the run in the log
     * @return how many rotations were sent
     */
    public int schedule(String runName) {
        if (maxAge.isEmpty()) {
            LOG.fine(line("token rotation is off: TOKEN_ROTATION_MAX_AGE_DAYS is not set", "run", runName));
            return 0;
        }
        Instant now = clock.instant();
        int sent = 0;
        String continuation = null;
        do {
            StatusPage page = store.list(OnboardingState.SUCCEEDED, PAGE_SIZE, continuation);
            for (Onboarding onboarding : page.items()) {
                if (sent >= MAX_PER_RUN) {
                    break;
                }
                if (due(onboarding, now)) {
                    send(new RotationMessage(RotationMessage.CURRENT_VERSION, onboarding.accountId(),
                        onboarding.runId(), "rotation-" + UUID.randomUUID(), onboarding.cloudflareTokenId(), 1, now),
                        SPACING.multipliedBy(sent));
                    sent++;
                }
            }
            continuation = page.continuation();
        } while (continuation != null && sent < MAX_PER_RUN);
        LOG.info(line("token rotation run ended", "run", runName, "rotationsSent", sent, "maxAgeDays",
            maxAge.get().toDays()));
        return sent;
    }

    /** Whether an onboarding's minted token is older than the maximum age and not in a recent failed rotation. */
    boolean due(Onboarding onboarding, Instant now) {
        if (onboarding.cloudflareTokenId() == null || onboarding.desired().scimTokenSecret() != null) {
            return false;
        }
        TokenRotation last = onboarding.tokenRotation();
        if (last != null && TokenRotation.FAILED.equals(last.state()) && last.at().plus(RETRY_FAILED_AFTER)
            .isAfter(now)) {
            return false;
        }
        // A token minted before its time was recorded counts as due.
        Instant minted = onboarding.tokenMintedAt();
        return minted == null || !minted.plus(maxAge.get()).isAfter(now);
    }

    /**
     * Handles one rotate-token message.
     *
     * @param text the message text
     * @param messageId the queue message id, stable across redeliveries
     * @throws RuntimeException for the host to deliver the message again, when the old token could not be deleted
     */
    public void handle(String text, String messageId) {
        RotationMessage message;
        try {
            message = read(text);
        } catch (IllegalArgumentException e) {
            LOG.severe(line("dropped a message that is not a rotation message", "messageId", messageId, "reason",
                e.getMessage()));
            return;
        }
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            try {
                handleOnce(message, messageId);
                return;
            } catch (StatusConflict e) {
                LOG.fine(line("status changed while the rotation ran; reading it again", "accountId",
                    message.accountId(), "correlationId", message.correlationId()));
            }
        }
        throw new IllegalStateException("the status of account " + message.accountId() + " kept changing while its "
            + "token rotated");
    }

    /**
     * Handles a rotation message the host moved to the poison queue: records the rotation as failed when the old
     * token is still the saved one, so that nothing fails silently.
     *
     * @param text the message text
     */
    public void handlePoison(String text) {
        RotationMessage message;
        try {
            message = read(text);
        } catch (IllegalArgumentException e) {
            LOG.severe(line("a poison message is not a rotation message; nothing to mark", "reason", e.getMessage()));
            return;
        }
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            Optional<Onboarding> found = store.find(message.accountId());
            if (found.isEmpty() || !found.get().runId().equals(message.runId())) {
                return;
            }
            Onboarding onboarding = found.get();
            boolean replaced = !message.tokenId().equals(onboarding.cloudflareTokenId());
            String reason = replaced
                ? "The new token is saved, but deleting the replaced one failed on every try; the next rotation "
                    + "deletes it. Look for correlationId=" + message.correlationId() + " in the logs."
                : "The rotation failed on every delivery of its message with an unexpected error; the old token "
                    + "is still saved and working. Look for correlationId=" + message.correlationId() + " in the logs.";
            try {
                store.replace(onboarding.toBuilder()
                    .tokenRotation(replaced ? onboarding.tokenRotation() : new TokenRotation(TokenRotation.FAILED,
                        clock.instant(), onboarding.cloudflareTokenId(), "RotationFailedRepeatedly", reason))
                    .addHistory(new HistoryEntry(STEP, replaced ? "cleanup-failed" : "failed", message.attempt(),
                        clock.instant(), reason))
                    .updatedAt(clock.instant())
                    .build());
                LOG.warning(line("token rotation message reached the poison queue", "accountId",
                    message.accountId(), "correlationId", message.correlationId(), "newTokenSaved", replaced));
                return;
            } catch (StatusConflict e) {
                LOG.fine(line("status changed while marking a poison rotation; reading it again", "accountId",
                    message.accountId()));
            }
        }
        throw new IllegalStateException("the status of account " + message.accountId() + " kept changing");
    }

    private void handleOnce(RotationMessage message, String messageId) {
        Instant now = clock.instant();
        Optional<Onboarding> found = store.find(message.accountId());
        if (found.isEmpty() || !found.get().runId().equals(message.runId())
            || found.get().state() != OnboardingState.SUCCEEDED) {
            drop(message, "the onboarding is no longer the succeeded one the rotation was meant for");
            return;
        }
        Onboarding onboarding = found.get();
        if (!message.tokenId().equals(onboarding.cloudflareTokenId())) {
            // Replaced already, by this message before a crash or by another: make sure the old token is gone.
            if (onboarding.cloudflareTokenId() != null) {
                int deleted = rotator.deleteReplaced(onboarding, onboarding.cloudflareTokenId());
                LOG.info(line("token was already replaced; deleted what was left of the old one", "accountId",
                    message.accountId(), "correlationId", message.correlationId(), "deleted", deleted));
            }
            return;
        }
        if (onboarding.leaseOwner() != null && !onboarding.leaseOwner().equals(messageId)
            && onboarding.leaseUntil() != null && onboarding.leaseUntil().isAfter(now)) {
            Duration wait = Duration.between(now, onboarding.leaseUntil()).plusSeconds(1);
            send(message, wait);
            LOG.info(line("another message is working on the account; rotating after its lease", "accountId",
                message.accountId(), "correlationId", message.correlationId(), "delaySeconds", wait.toSeconds()));
            return;
        }
        Onboarding leased = store.replace(onboarding.toBuilder()
            .lease(messageId, now.plus(StepRunner.LEASE))
            .updatedAt(now)
            .build());
        LOG.info(line("token rotation started", "accountId", message.accountId(), "correlationId",
            message.correlationId(), "tokenId", message.tokenId(), "attempt", message.attempt()));

        String newTokenId;
        try {
            newTokenId = rotator.rotate(leased);
        } catch (OnboardingFailure failure) {
            failed(message, leased, failure);
            return;
        } catch (RuntimeException e) {
            release(leased);
            throw e;
        }

        Instant done = clock.instant();
        Onboarding rotated = store.replace(leased.toBuilder()
            .cloudflareTokenId(newTokenId)
            .tokenMintedAt(done)
            .tokenRotation(new TokenRotation(TokenRotation.SUCCEEDED, done, newTokenId, null, null))
            .addHistory(new HistoryEntry(STEP, "completed", message.attempt(), done, "Entra accepted new token "
                + newTokenId + ", which is saved; token " + message.tokenId() + " is being deleted"))
            .lease(null, null)
            .updatedAt(done)
            .build());
        int deleted = rotator.deleteReplaced(rotated, newTokenId);
        LOG.info(line("token rotated", "accountId", message.accountId(), "correlationId", message.correlationId(),
            "newTokenId", newTokenId, "deleted", deleted));
    }

    private void failed(RotationMessage message, Onboarding leased, OnboardingFailure failure) {
        Instant now = clock.instant();
        if (failure instanceof TransientFailure transientFailure) {
            Duration delay = Backoff.delay(message.attempt(), transientFailure.retryAfter());
            if (now.plus(delay).isBefore(message.firstAttemptAt().plus(deadline))) {
                store.replace(leased.toBuilder()
                    .addHistory(new HistoryEntry(STEP, "retrying", message.attempt(), now, failure.getMessage()))
                    .lease(null, null)
                    .updatedAt(now)
                    .build());
                send(message.nextAttempt(), delay);
                LOG.info(line("token rotation will run again", "accountId", message.accountId(), "correlationId",
                    message.correlationId(), "attempt", message.attempt(), "delayMillis", delay.toMillis(), "reason",
                    failure.getMessage()));
                return;
            }
        }
        String reason = "The token was not rotated and token " + message.tokenId() + " stays saved and working: "
            + failure.getMessage();
        store.replace(leased.toBuilder()
            .tokenRotation(new TokenRotation(TokenRotation.FAILED, now, message.tokenId(), failure.code(), reason))
            .addHistory(new HistoryEntry(STEP, "failed", message.attempt(), now, reason))
            .lease(null, null)
            .updatedAt(now)
            .build());
        LOG.warning(line("token rotation failed; the old token stays", "accountId", message.accountId(),
            "correlationId", message.correlationId(), "code", failure.code(), "reason", failure.getMessage()));
    }

    private void release(Onboarding leased) {
        try {
            store.replace(leased.toBuilder().lease(null, null).build());
        } catch (RuntimeException e) {
            // The lease lapses on its own.
            LOG.fine(line("could not release the lease", "accountId", leased.accountId()));
        }
    }

    private void send(RotationMessage message, Duration delay) {
        try {
            sender.accept(JSON.writeValueAsString(message), delay);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a rotation message", e);
        }
    }

    /**
     * Reads a rotation message's text.
     *
     * @param text the text
     * @return the message
     * @throws IllegalArgumentException when the text is not a rotation message
     */
    static RotationMessage read(String text) {
        try {
            RotationMessage message = JSON.readValue(text, RotationMessage.class);
            if (message.accountId() == null || message.runId() == null || message.tokenId() == null
                || message.firstAttemptAt() == null) {
                throw new IllegalArgumentException("a rotation message must name its account, run and token");
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a rotation message: " + e.getOriginalMessage(), e);
        }
    }

    private static void drop(RotationMessage message, String reason) {
        LOG.info(line("dropped a rotation message: " + reason, "accountId", message.accountId(), "correlationId",
            message.correlationId()));
    }
}
