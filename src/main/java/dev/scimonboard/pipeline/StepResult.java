package dev.scimonboard.pipeline;

import dev.scimonboard.status.Onboarding;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** What a step reports when it returns: done (hand on to the next step), or wait and run again later. */
public sealed interface StepResult {

    /** The changes to record in the status, such as ids found. */
    UnaryOperator<Onboarding.Builder> changes();

    /**
     * The step did its work.
     *
     * @param detail what was done, for the history
     * @param changes what to record
     */
    record Completed(String detail, UnaryOperator<Onboarding.Builder> changes) implements StepResult {
    }

    /**
     * The step must wait for something outside (replication, a job to settle) and run again after a delay.
     *
     * @param delay how long to wait
     * @param reason what it waits for, for the history
     * @param changes what to record now
     */
    record Wait(Duration delay, String reason, UnaryOperator<Onboarding.Builder> changes) implements StepResult {
    }

    /**
     * A completed step.
     *
     * @param detail what was done
     * @param changes what to record
     * @return the result
     */
    static StepResult completed(String detail, UnaryOperator<Onboarding.Builder> changes) {
        return new Completed(detail, changes);
    }

    /**
     * A completed step with nothing to record but the history.
     *
     * @param detail what was done
     * @return the result
     */
    static StepResult completed(String detail) {
        return new Completed(detail, UnaryOperator.identity());
    }

    /**
     * A step that waits.
     *
     * @param delay how long
     * @param reason what for
     * @return the result
     */
    static StepResult waitFor(Duration delay, String reason) {
        return new Wait(delay, reason, UnaryOperator.identity());
    }
}
