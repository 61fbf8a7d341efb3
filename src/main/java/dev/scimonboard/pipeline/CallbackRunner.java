package dev.scimonboard.pipeline;

import static dev.scimonboard.Logs.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.scimonboard.callback.CallbackAnswer;
import dev.scimonboard.callback.CallbackClient;
import dev.scimonboard.callback.CallbackHosts;
import dev.scimonboard.callback.CallbackSignature;
import dev.scimonboard.callback.CallbackUrl;
import dev.scimonboard.status.CallbackDelivery;
import dev.scimonboard.status.HistoryEntry;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.StatusConflict;
import dev.scimonboard.status.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Outcome callbacks: when a run that asked for one ends, its status document (as GET answers it) is POSTed to the
 * run's callback URL, signed, and retried with backoff until the receiver takes it or the attempts run out.
 * <ul>
 * <li>the first message is sent after the run's final status is recorded, and the callback is recorded as pending;
 * each attempt is a message on the send-callback queue, and a wait is a delayed message;</li>
 * <li>a 2xx answer is recorded as delivered, and nothing is sent for the run again; no answer, 408, 429 and 5xx are
 * tried again (honouring Retry-After) up to {@value #MAX_ATTEMPTS} attempts within {@link #WINDOW}; any other answer,
 * redirects included, gives up at once;</li>
 * <li>an attempt is claimed in the status entity (written with its ETag) before it is sent, so two copies of a
 * message do not post the same attempt, and a message delivered again after a crash makes its attempt again;</li>
 * <li>a callback is never sent unsigned: without a usable signing key it is recorded as failed, saying which setting
 * to set.</li>
 * </ul>
 */
public final class CallbackRunner implements OutcomeCallbacks {
    /** The most attempts one run's callback gets. */
    static final int MAX_ATTEMPTS = 8;
    /** The wait after the first failed attempt; each later one doubles it (30 s, 1, 2, 4, 8, 16, 32 min). */
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    /** No attempt is made later than this after the first one, whatever Retry-After asks. */
    static final Duration WINDOW = Duration.ofMinutes(90);
    /** How long an attempt is taken to be under way; longer than the client's connect and answer timeouts. */
    static final Duration CLAIM = Duration.ofSeconds(60);

    private static final Logger LOG = Logger.getLogger(CallbackRunner.class.getName());
    private static final String STEP = Queues.SEND_CALLBACK;
    private static final int MAX_CONFLICT_RETRIES = 10;
    /** The share of a backoff delay that jitter may add or take away. */
    private static final double JITTER = 0.2;
    private static final long RETRY_AFTER_SPREAD_MILLIS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final StatusStore store;
    private final Function<Onboarding, String> documents;
    private final CallbackClient client;
    private final BiConsumer<String, Duration> sender;
    private final CallbackHosts hosts;
    private final Supplier<Optional<String>> signingKey;
    private final Clock clock;

    /**
     * Creates the runner.
     *
     * @param store the status table
     * @param documents writes an onboarding as the status document's JSON text
     * @param client sends one attempt
     * @param sender sends a message's text to the send-callback queue, invisible for the given delay
     * @param hosts the hosts callbacks may go to, checked again before every attempt
     * @param signingKey the signing key, read when an attempt is made; empty when unset
     * @param clock the clock
     */
    public CallbackRunner(StatusStore store, Function<Onboarding, String> documents, CallbackClient client,
        BiConsumer<String, Duration> sender, CallbackHosts hosts, Supplier<Optional<String>> signingKey,
        Clock clock) {
        this.store = store;
        this.documents = documents;
        this.client = client;
        this.sender = sender;
        this.hosts = hosts;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    /**
     * Schedules the callback of a run that has just ended, if it asked for one and none is scheduled yet: sends the
     * first message, then records the callback as pending. Should the record fail, the caller's message is delivered
     * again and this runs once more; a second message for the same attempt is dropped when it runs.
     *
     * @param ended the ended onboarding, as recorded
     */
    @Override
    public void runEnded(Onboarding ended) {
        if (!ended.state().ended() || ended.desired() == null || ended.desired().callbackUrl() == null
            || ended.callback() != null) {
            return;
        }
        Instant now = clock.instant();
        send(new CallbackMessage(CallbackMessage.CURRENT_VERSION, ended.accountId(), ended.runId(),
            ended.correlationId(), ended.state().wireName(), 1, now), Duration.ZERO);
        Onboarding current = ended;
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            try {
                store.replace(current.toBuilder()
                    .callback(new CallbackDelivery(CallbackDelivery.PENDING, deliveryId(current), 0, null, now,
                        "The outcome is queued for delivery to the callback URL.", null, null))
                    .updatedAt(now)
                    .build());
                break;
            } catch (StatusConflict e) {
                Optional<Onboarding> found = store.find(ended.accountId());
                if (found.isEmpty() || !ended.runId().equals(found.get().runId()) || found.get().callback() != null) {
                    break;
                }
                current = found.get();
            }
        }
        LOG.info(line("outcome callback queued", "accountId", ended.accountId(), "correlationId",
            ended.correlationId(), "outcome", ended.state().wireName()));
    }

    /**
     * Handles one send-callback message: makes its attempt unless the callback is settled or the attempt was made.
     *
     * @param text the message text
     * @param messageId the queue message id, stable across redeliveries
     * @throws RuntimeException for the host to deliver the message again, when the status table kept failing
     */
    public void handle(String text, String messageId) {
        CallbackMessage message;
        try {
            message = read(text);
        } catch (IllegalArgumentException e) {
            LOG.severe(line("dropped a message that is not a callback message", "messageId", messageId, "reason",
                e.getMessage()));
            return;
        }
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            try {
                attempt(message, messageId);
                return;
            } catch (StatusConflict e) {
                LOG.fine(line("status changed before the callback was claimed; reading it again", "accountId",
                    message.accountId(), "correlationId", message.correlationId()));
            }
        }
        throw new IllegalStateException("the status of account " + message.accountId() + " kept changing while its "
            + "callback was claimed");
    }

    /**
     * Handles a callback message the host moved to the poison queue: records the callback as failed, so that
     * nothing fails silently.
     *
     * @param text the message text
     */
    public void handlePoison(String text) {
        CallbackMessage message;
        try {
            message = read(text);
        } catch (IllegalArgumentException e) {
            LOG.severe(line("a poison message is not a callback message; nothing to mark", "reason", e.getMessage()));
            return;
        }
        String reason = "Sending the callback failed on every delivery of its message with an unexpected error; it "
            + "is not sent again. Look for correlationId=" + message.correlationId() + " in the logs.";
        if (record(message, null, CallbackDelivery.FAILED, null, null, reason, reason, "failed")) {
            LOG.warning(line("callback message reached the poison queue; recorded the callback as failed",
                "accountId", message.accountId(), "correlationId", message.correlationId()));
        }
    }

    private void attempt(CallbackMessage message, String messageId) {
        Instant now = clock.instant();
        Optional<Onboarding> found = store.find(message.accountId());
        if (found.isEmpty() || !message.runId().equals(found.get().runId())) {
            drop(message, "a newer run replaced the one it reports, and has its own callback");
            return;
        }
        Onboarding onboarding = found.get();
        if (!onboarding.state().ended() || onboarding.desired().callbackUrl() == null) {
            drop(message, "its run asked for no callback or has not ended");
            return;
        }
        CallbackDelivery last = onboarding.callback();
        if (last != null && last.settled()) {
            drop(message, "the run's callback was already " + last.state());
            return;
        }
        // A message delivered again after it claimed its attempt (the process stopped mid-send) makes it again.
        boolean ours = last != null && messageId.equals(last.claimedBy());
        if (!ours && last != null && message.attempt() <= last.attempts()) {
            drop(message, "attempt " + message.attempt() + " was made by another message");
            return;
        }
        if (!ours && last != null && last.claimedUntil() != null && last.claimedUntil().isAfter(now)) {
            drop(message, "another message is sending the callback");
            return;
        }

        Optional<String> key = signingKey.get();
        Optional<String> keyProblem = CallbackSignature.keyProblem(key);
        if (keyProblem.isPresent()) {
            LOG.severe(line("callback not sent: no usable signing key", "accountId", message.accountId(),
                "correlationId", message.correlationId(), "reason", keyProblem.get()));
            settle(message, keyProblem.get());
            return;
        }
        CallbackUrl url;
        try {
            url = CallbackUrl.parse(onboarding.desired().callbackUrl(), hosts);
        } catch (IllegalArgumentException e) {
            settle(message, "The callback URL may no longer be called: it " + e.getMessage() + ".");
            return;
        }

        Onboarding claimed = store.replace(onboarding.toBuilder()
            .callback(new CallbackDelivery(CallbackDelivery.PENDING, deliveryId(onboarding), message.attempt(),
                last == null ? null : last.lastStatus(), now, last == null ? null : last.message(), messageId,
                now.plus(CLAIM)))
            .updatedAt(now)
            .build());
        String body = documents.apply(claimed);
        long timestamp = clock.instant().getEpochSecond();
        LOG.info(line("sending outcome callback", "accountId", message.accountId(), "correlationId",
            message.correlationId(), "host", url.host(), "attempt", message.attempt()));
        CallbackAnswer answer = client.post(url, body, Map.of(
            CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(key.get(), timestamp, body),
            CallbackSignature.TIMESTAMP_HEADER, Long.toString(timestamp),
            CallbackSignature.DELIVERY_HEADER, deliveryId(claimed),
            CallbackSignature.ATTEMPT_HEADER, Integer.toString(message.attempt())));
        answered(message, messageId, url, answer);
    }

    /** Records what the receiver answered and, when it is worth it, sends the next attempt. */
    private void answered(CallbackMessage message, String messageId, CallbackUrl url, CallbackAnswer answer) {
        String what = answer.describe() + " from " + url.host();
        switch (answer.verdict()) {
            case DELIVERED -> {
                if (record(message, messageId, CallbackDelivery.DELIVERED, message.attempt(),
                    answer.recordedStatus(), null, "Delivered: " + what + ".", "delivered")) {
                    LOG.info(line("outcome callback delivered", "accountId", message.accountId(), "correlationId",
                        message.correlationId(), "status", answer.status(), "attempt", message.attempt()));
                }
            }
            case RETRY -> {
                Instant now = clock.instant();
                Duration delay = delay(message.attempt(), answer.retryAfter());
                if (message.attempt() < MAX_ATTEMPTS
                    && now.plus(delay).isBefore(message.firstAttemptAt().plus(WINDOW))) {
                    String reason = "Attempt " + message.attempt() + " got " + what + "; attempt "
                        + (message.attempt() + 1) + " follows in " + Math.max(1, delay.toSeconds()) + " s.";
                    if (record(message, messageId, CallbackDelivery.PENDING, message.attempt(),
                        answer.recordedStatus(), reason, reason, "retrying")) {
                        send(message.nextAttempt(), delay);
                        LOG.info(line("outcome callback will be sent again", "accountId", message.accountId(),
                            "correlationId", message.correlationId(), "attempt", message.attempt(), "delayMillis",
                            delay.toMillis(), "reason", what));
                    }
                } else {
                    giveUp(message, messageId, answer, "Gave up after " + message.attempt() + " attempts over "
                        + Duration.between(message.firstAttemptAt(), now).toMinutes() + " minutes; the last got "
                        + what + ".");
                }
            }
            case GIVE_UP -> giveUp(message, messageId, answer, "The receiver refused the callback: attempt "
                + message.attempt() + " got " + what + ". It is not sent again.");
            default -> throw new IllegalStateException("unknown verdict " + answer.verdict());
        }
    }

    private void giveUp(CallbackMessage message, String messageId, CallbackAnswer answer, String reason) {
        if (record(message, messageId, CallbackDelivery.FAILED, message.attempt(), answer.recordedStatus(), reason,
            reason, "failed")) {
            LOG.warning(line("outcome callback failed", "accountId", message.accountId(), "correlationId",
                message.correlationId(), "attempt", message.attempt(), "reason", reason));
        }
    }

    /** Fails a callback before any attempt, for a reason of configuration. */
    private void settle(CallbackMessage message, String reason) {
        record(message, null, CallbackDelivery.FAILED, null, null, reason, reason, "failed");
        LOG.warning(line("outcome callback failed", "accountId", message.accountId(), "correlationId",
            message.correlationId(), "reason", reason));
    }

    /**
     * Records an attempt's outcome on the status entity, reading it again on every conflict. Nothing is recorded for
     * a run that was replaced or a callback that is settled already.
     *
     * @param message the message whose attempt it was
     * @param claimedBy the message id that keeps its (lapsed) claim while the callback is pending, or null
     * @param state the callback's new state
     * @param attempts how many attempts were made, or null to keep the recorded count
     * @param status the receiver's HTTP status, or null
     * @param reason the callback's message for a person, or null
     * @param detail the history entry's detail
     * @param outcome the history entry's outcome
     * @return whether it was recorded
     */
    private boolean record(CallbackMessage message, String claimedBy, String state, Integer attempts, Integer status,
        String reason, String detail, String outcome) {
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            Optional<Onboarding> found = store.find(message.accountId());
            if (found.isEmpty() || !message.runId().equals(found.get().runId())
                || found.get().callback() != null && found.get().callback().settled()) {
                return false;
            }
            Onboarding current = found.get();
            Instant now = clock.instant();
            int made = attempts != null ? attempts : current.callback() == null ? 0 : current.callback().attempts();
            try {
                store.replace(current.toBuilder()
                    // The message that made a pending attempt keeps its claim, lapsed, so that it may make the
                    // attempt again should the next one fail to be sent.
                    .callback(new CallbackDelivery(state, deliveryId(current), made, status, now, reason,
                        CallbackDelivery.PENDING.equals(state) ? claimedBy : null, null))
                    .addHistory(new HistoryEntry(STEP, outcome, Math.max(made, 1), now, detail))
                    .updatedAt(now)
                    .build());
                return true;
            } catch (StatusConflict e) {
                LOG.fine(line("status changed while recording a callback; reading it again", "accountId",
                    message.accountId()));
            }
        }
        throw new IllegalStateException("the status of account " + message.accountId() + " kept changing while its "
            + "callback was recorded");
    }

    /**
     * The wait before the attempt after {@code attempt}: what Retry-After asks (spread by up to a second), else
     * {@link #FIRST_RETRY} doubled per attempt, give or take a fifth.
     *
     * @param attempt the attempt that failed, from 1
     * @param retryAfter the receiver's Retry-After, if any
     * @return the delay
     */
    static Duration delay(int attempt, Optional<Duration> retryAfter) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (retryAfter.isPresent()) {
            return retryAfter.get().plusMillis(random.nextLong(RETRY_AFTER_SPREAD_MILLIS + 1));
        }
        long millis = FIRST_RETRY.toMillis() << Math.min(Math.max(attempt - 1, 0), 10);
        long jitter = (long) (millis * JITTER);
        return Duration.ofMillis(millis - jitter + random.nextLong(2 * jitter + 1));
    }

    /** The delivery id of a run's callback: the run's id, the same on every attempt and unique to the run. */
    private static String deliveryId(Onboarding onboarding) {
        return onboarding.runId();
    }

    private void send(CallbackMessage message, Duration delay) {
        try {
            sender.accept(JSON.writeValueAsString(message), delay);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a callback message", e);
        }
    }

    /**
     * Reads a callback message's text.
     *
     * @param text the text
     * @return the message
     * @throws IllegalArgumentException when the text is not a callback message
     */
    static CallbackMessage read(String text) {
        try {
            CallbackMessage message = JSON.readValue(text, CallbackMessage.class);
            if (message.accountId() == null || message.runId() == null || message.firstAttemptAt() == null
                || message.attempt() < 1) {
                throw new IllegalArgumentException("a callback message must name its account, run, attempt and "
                    + "first attempt time");
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a callback message: " + e.getOriginalMessage(), e);
        }
    }

    private static void drop(CallbackMessage message, String reason) {
        LOG.info(line("dropped a callback message: " + reason, "accountId", message.accountId(), "correlationId",
            message.correlationId(), "attempt", message.attempt()));
    }
}
