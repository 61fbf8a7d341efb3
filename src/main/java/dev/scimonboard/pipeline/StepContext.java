package dev.scimonboard.pipeline;

import dev.scimonboard.status.Onboarding;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** What a step sees of its account while it runs. */
public interface StepContext {
    /** The account's record as it stands now. */
    Onboarding onboarding();

    /** The attempt within this step, from 1. */
    int attempt();

    /** The current time. */
    Instant now();

    /**
     * Records progress at once, before the step goes on: what a step is about to create, so that a crash does not
     * make it create the thing twice.
     *
     * @param changes the changes
     */
    void record(UnaryOperator<Onboarding.Builder> changes);
}
