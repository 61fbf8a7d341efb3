package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.scimonboard.Services;
import dev.scimonboard.pipeline.Queues;
import dev.scimonboard.pipeline.StepName;

/**
 * One trigger per poison queue: a message the host gave up on marks its onboarding failed, so that nothing fails
 * silently. The message stays readable in the poison queue's place in the logs; it is not sent back.
 */
public final class PoisonFunctions {

    /**
     * Marks an onboarding whose create-app message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("CreateApplicationPoison")
    public void createApplication(@QueueTrigger(name = "message", queueName = Queues.CREATE_APP_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.CREATE_APPLICATION, message);
    }

    /**
     * Marks an onboarding whose create-job message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("CreateSynchronizationJobPoison")
    public void createJob(@QueueTrigger(name = "message", queueName = Queues.CREATE_JOB_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.CREATE_JOB, message);
    }

    /**
     * Marks an onboarding whose save-secrets message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("SaveSecretsPoison")
    public void saveSecrets(@QueueTrigger(name = "message", queueName = Queues.SAVE_SECRETS_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.SAVE_SECRETS, message);
    }

    /**
     * Marks an onboarding whose test-connection message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("TestConnectionPoison")
    public void testConnection(@QueueTrigger(name = "message", queueName = Queues.TEST_CONNECTION_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.TEST_CONNECTION, message);
    }

    /**
     * Marks an onboarding whose assign-access message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("AssignAccessPoison")
    public void assignAccess(@QueueTrigger(name = "message", queueName = Queues.ASSIGN_ACCESS_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.ASSIGN_ACCESS, message);
    }

    /**
     * Marks an onboarding whose start-provisioning message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("StartProvisioningPoison")
    public void startProvisioning(@QueueTrigger(name = "message", queueName = Queues.START_PROVISIONING_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.START_PROVISIONING, message);
    }

    /**
     * Marks an offboarding whose remove-job message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("RemoveJobPoison")
    public void removeJob(@QueueTrigger(name = "message", queueName = Queues.REMOVE_JOB_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.REMOVE_JOB, message);
    }

    /**
     * Marks an offboarding whose remove-app message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("RemoveApplicationPoison")
    public void removeApplication(@QueueTrigger(name = "message", queueName = Queues.REMOVE_APP_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.REMOVE_APPLICATION, message);
    }

    /**
     * Marks an offboarding whose remove-tokens message was poisoned.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("RemoveTokensPoison")
    public void removeTokens(@QueueTrigger(name = "message", queueName = Queues.REMOVE_TOKENS_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().runner().handlePoison(StepName.REMOVE_TOKENS, message);
    }
}
