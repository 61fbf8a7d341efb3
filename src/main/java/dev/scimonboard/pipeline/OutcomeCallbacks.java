package dev.scimonboard.pipeline;

import dev.scimonboard.status.Onboarding;

/**
 * Told when an onboarding run has ended (succeeded or failed) and its final status is recorded, so that the caller
 * who asked for a callback hears of it. Called again when the message that ended the run is delivered again, so an
 * implementation must do its work once per run however often it is called.
 */
@FunctionalInterface
public interface OutcomeCallbacks {
    /** Nobody to tell. */
    OutcomeCallbacks NONE = ended -> { };

    /**
     * A run has ended.
     *
     * @param ended the onboarding as recorded, with its ETag
     * @throws RuntimeException when the callback could not be scheduled; the host delivers the message again
     */
    void runEnded(Onboarding ended);
}
