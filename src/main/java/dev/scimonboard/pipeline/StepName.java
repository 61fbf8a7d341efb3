package dev.scimonboard.pipeline;

import java.util.Optional;

/**
 * The steps of the two flows, each flow in the order it runs: onboarding (create-app to start-provisioning) and
 * offboarding (remove-job to remove-tokens). Each step has its own queue, named like the step.
 */
public enum StepName {
    /** Create the enterprise application from the template and wait until its service principal is readable. */
    CREATE_APPLICATION(Queues.CREATE_APP, false),
    /** Create the SCIM synchronization job, or reuse the one that exists. */
    CREATE_JOB(Queues.CREATE_JOB, false),
    /** Mint a SCIM token in Cloudflare and save it with the SCIM endpoint as the job's secrets. */
    SAVE_SECRETS(Queues.SAVE_SECRETS, false),
    /** Ask Entra to test the saved credentials against Cloudflare's SCIM endpoint. */
    TEST_CONNECTION(Queues.TEST_CONNECTION, false),
    /** Assign the requested groups and users to the application. */
    ASSIGN_ACCESS(Queues.ASSIGN_ACCESS, false),
    /** Start provisioning when asked, and record the job's status. */
    START_PROVISIONING(Queues.START_PROVISIONING, false),
    /** Pause and delete the synchronization job. */
    REMOVE_JOB(Queues.REMOVE_JOB, true),
    /** Delete the service principal and the application (Entra keeps the application restorable for 30 days). */
    REMOVE_APPLICATION(Queues.REMOVE_APP, true),
    /** Delete the Cloudflare tokens this project minted for the account. */
    REMOVE_TOKENS(Queues.REMOVE_TOKENS, true);

    /** The suffix the Functions host gives the queue that failed messages move to. */
    public static final String POISON_SUFFIX = "-poison";

    private final String queueName;
    private final boolean offboarding;

    StepName(String queueName, boolean offboarding) {
        this.queueName = queueName;
        this.offboarding = offboarding;
    }

    /** Whether this step belongs to offboarding rather than onboarding. */
    public boolean offboarding() {
        return offboarding;
    }

    /** The queue this step's messages go to; also the step's name in status documents. */
    public String queueName() {
        return queueName;
    }

    /** The queue that this step's failed messages are moved to after the last try. */
    public String poisonQueueName() {
        return queueName + POISON_SUFFIX;
    }

    /** The step after this one in its flow, or empty for the flow's last. */
    public Optional<StepName> next() {
        int index = ordinal() + 1;
        return index < values().length && values()[index].offboarding == offboarding ? Optional.of(values()[index])
            : Optional.empty();
    }

    /** The first step of every onboarding. */
    public static StepName first() {
        return CREATE_APPLICATION;
    }

    /** The first step of every offboarding. */
    public static StepName firstOfOffboarding() {
        return REMOVE_JOB;
    }

    /**
     * The step with the given queue name.
     *
     * @param queueName such as {@code create-app}
     * @return the step, or empty when no step has that name
     */
    public static Optional<StepName> fromQueueName(String queueName) {
        for (StepName step : values()) {
            if (step.queueName.equals(queueName)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
