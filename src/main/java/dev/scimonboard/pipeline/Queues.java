package dev.scimonboard.pipeline;

/**
 * The queue names, as constants so that trigger annotations can name them. {@link StepName} maps each step to its
 * queue; the poison queues are the Functions host's, named with the {@code -poison} suffix.
 */
public final class Queues {
    /** Messages of the create-application step. */
    public static final String CREATE_APP = "create-app";
    /** Messages of the create-job step. */
    public static final String CREATE_JOB = "create-job";
    /** Messages of the save-secrets step. */
    public static final String SAVE_SECRETS = "save-secrets";
    /** Messages of the test-connection step. */
    public static final String TEST_CONNECTION = "test-connection";
    /** Messages of the assign-access step. */
    public static final String ASSIGN_ACCESS = "assign-access";
    /** Messages of the start-provisioning step. */
    public static final String START_PROVISIONING = "start-provisioning";

    /** Messages of the offboarding step that pauses and deletes the synchronization job. */
    public static final String REMOVE_JOB = "remove-job";
    /** Messages of the offboarding step that deletes the service principal and the application. */
    public static final String REMOVE_APP = "remove-app";
    /** Messages of the offboarding step that deletes the Cloudflare tokens minted for the account. */
    public static final String REMOVE_TOKENS = "remove-tokens";

    /** Where the host moves create-app messages that failed on every delivery. */
    public static final String CREATE_APP_POISON = CREATE_APP + "-poison";
    /** Where the host moves create-job messages that failed on every delivery. */
    public static final String CREATE_JOB_POISON = CREATE_JOB + "-poison";
    /** Where the host moves save-secrets messages that failed on every delivery. */
    public static final String SAVE_SECRETS_POISON = SAVE_SECRETS + "-poison";
    /** Where the host moves test-connection messages that failed on every delivery. */
    public static final String TEST_CONNECTION_POISON = TEST_CONNECTION + "-poison";
    /** Where the host moves assign-access messages that failed on every delivery. */
    public static final String ASSIGN_ACCESS_POISON = ASSIGN_ACCESS + "-poison";
    /** Where the host moves start-provisioning messages that failed on every delivery. */
    public static final String START_PROVISIONING_POISON = START_PROVISIONING + "-poison";

    /** Where the host moves remove-job messages that failed on every delivery. */
    public static final String REMOVE_JOB_POISON = REMOVE_JOB + "-poison";
    /** Where the host moves remove-app messages that failed on every delivery. */
    public static final String REMOVE_APP_POISON = REMOVE_APP + "-poison";
    /** Where the host moves remove-tokens messages that failed on every delivery. */
    public static final String REMOVE_TOKENS_POISON = REMOVE_TOKENS + "-poison";

    /** Onboarding events, as Event Grid writes them; the intake function reads them. */
    public static final String ONBOARDING_EVENTS = "onboarding-events";
    /** Where the intake sets aside, once and unchanged, an event it cannot use, instead of failing it five times. */
    public static final String ONBOARDING_EVENTS_REJECTED = ONBOARDING_EVENTS + "-rejected";

    /** Rotations of minted SCIM tokens, one message per account that is due. */
    public static final String ROTATE_TOKEN = "rotate-token";
    /** Where the host moves rotate-token messages that failed on every delivery. */
    public static final String ROTATE_TOKEN_POISON = ROTATE_TOKEN + "-poison";

    /** Outcome callbacks: one message per attempt to POST an ended run's status document to its callback URL. */
    public static final String SEND_CALLBACK = "send-callback";
    /** Where the host moves send-callback messages that failed on every delivery. */
    public static final String SEND_CALLBACK_POISON = SEND_CALLBACK + "-poison";

    /** The app setting holding the storage connection that every queue binding uses. */
    public static final String CONNECTION = "AzureWebJobsStorage";

    private Queues() {
    }
}
