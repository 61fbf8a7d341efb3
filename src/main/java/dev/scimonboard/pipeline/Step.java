package dev.scimonboard.pipeline;

/**
 * One onboarding step: look up what exists, act only where something is missing, and report. A step is run at
 * least once per message and may be run again for the same account (a redelivered message, a later request), so
 * it never assumes it is the first: it treats "already there" as success.
 *
 * <p>The runner around it applies every shared rule: it drops stale messages, holds the account's lease, records
 * the outcome, retries transient failures and hands on to the next step.
 */
public interface Step {
    /** Which step this is. */
    StepName name();

    /**
     * Does the step's work for one account.
     *
     * @param context the account's record and a way to record progress mid-step
     * @return completed, or wait and run again
     * @throws dev.scimonboard.TransientFailure when a call failed in a way that may pass
     * @throws dev.scimonboard.PermanentFailure when the onboarding cannot succeed as asked
     */
    StepResult run(StepContext context);
}
