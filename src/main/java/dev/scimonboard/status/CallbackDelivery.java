package dev.scimonboard.status;

import java.time.Instant;

/**
 * How the outcome callback of an onboarding run is going: the ended run's status document is POSTed to the
 * {@code callbackUrl} of its request, retried with backoff, and recorded here once delivered or given up. A new run
 * starts without one.
 *
 * <p>The claim fields belong to the pipeline: they keep two copies of a callback message from posting the same
 * attempt at once, and stay out of the status document.
 *
 * @param state {@code pending}, {@code delivered} or {@code failed}
 * @param deliveryId the id the receiver sees on every attempt of this run's callback, to recognise a repeat
 * @param attempts how many attempts were made
 * @param lastStatus the HTTP status of the last answer, or null when there was none (timeout, connection error)
 * @param at when the state last changed or the last attempt was made
 * @param message what happened last, for a person: why it is retried or why it was given up; null once delivered
 * @param claimedBy the id of the queue message that made the last attempt, or null
 * @param claimedUntil until when that message is taken to be sending, or null once its answer is recorded
 */
public record CallbackDelivery(String state, String deliveryId, int attempts, Integer lastStatus, Instant at,
    String message, String claimedBy, Instant claimedUntil) {
    /** Not delivered yet; an attempt is under way or scheduled. */
    public static final String PENDING = "pending";
    /** The receiver answered 2xx; it is never sent again for this run. */
    public static final String DELIVERED = "delivered";
    /** Given up: the receiver refused it, or every attempt failed; it is never sent again for this run. */
    public static final String FAILED = "failed";

    /** Whether no further attempt will be made. */
    public boolean settled() {
        return DELIVERED.equals(state) || FAILED.equals(state);
    }
}
