package dev.scimonboard.pipeline;

import java.util.Optional;

/** The onboarding steps, in the order they run; each has its own queue, named like the step. */
public enum StepName {
    /** Create the enterprise application from the template and wait until its service principal is readable. */
    CREATE_APPLICATION(Queues.CREATE_APP),
    /** Create the SCIM synchronization job, or reuse the one that exists. */
    CREATE_JOB(Queues.CREATE_JOB),
    /** Mint a SCIM token in Cloudflare and save it with the SCIM endpoint as the job's secrets. */
    SAVE_SECRETS(Queues.SAVE_SECRETS),
    /** Ask Entra to test the saved credentials against Cloudflare's SCIM endpoint. */
    TEST_CONNECTION(Queues.TEST_CONNECTION),
    /** Assign the requested groups and users to the application. */
    ASSIGN_ACCESS(Queues.ASSIGN_ACCESS),
    /** Start provisioning when asked, and record the job's status. */
    START_PROVISIONING(Queues.START_PROVISIONING);

    /** The suffix the Functions host gives the queue that failed messages move to. */
    public static final String POISON_SUFFIX = "-poison";

    private final String queueName;

    StepName(String queueName) {
        this.queueName = queueName;
    }

    /** The queue this step's messages go to; also the step's name in status documents. */
    public String queueName() {
        return queueName;
    }

    /** The queue that this step's failed messages are moved to after the last try. */
    public String poisonQueueName() {
        return queueName + POISON_SUFFIX;
    }

    /** The step after this one, or empty for the last. */
    public Optional<StepName> next() {
        int index = ordinal() + 1;
        return index < values().length ? Optional.of(values()[index]) : Optional.empty();
    }

    /** The first step of every onboarding. */
    public static StepName first() {
        return CREATE_APPLICATION;
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
