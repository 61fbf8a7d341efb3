package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.scimonboard.Services;
import dev.scimonboard.pipeline.Queues;
import dev.scimonboard.pipeline.StepName;

/** The step functions: one queue trigger per step of on- and offboarding, each handing its message to the runner. */
public final class StepFunctions {

    /**
     * Creates the enterprise application.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("CreateApplication")
    public void createApplication(
        @QueueTrigger(name = "message", queueName = Queues.CREATE_APP, connection = Queues.CONNECTION) String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.CREATE_APPLICATION, message, id);
    }

    /**
     * Creates the synchronization job.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("CreateSynchronizationJob")
    public void createJob(
        @QueueTrigger(name = "message", queueName = Queues.CREATE_JOB, connection = Queues.CONNECTION) String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.CREATE_JOB, message, id);
    }

    /**
     * Mints the SCIM token and saves the job's secrets.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("SaveSecrets")
    public void saveSecrets(
        @QueueTrigger(name = "message", queueName = Queues.SAVE_SECRETS, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.SAVE_SECRETS, message, id);
    }

    /**
     * Tests the connection to Cloudflare's SCIM endpoint.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("TestConnection")
    public void testConnection(
        @QueueTrigger(name = "message", queueName = Queues.TEST_CONNECTION, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.TEST_CONNECTION, message, id);
    }

    /**
     * Assigns the requested groups and users.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("AssignAccess")
    public void assignAccess(
        @QueueTrigger(name = "message", queueName = Queues.ASSIGN_ACCESS, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.ASSIGN_ACCESS, message, id);
    }

    /**
     * Starts provisioning and records the job's status.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("StartProvisioning")
    public void startProvisioning(
        @QueueTrigger(name = "message", queueName = Queues.START_PROVISIONING, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.START_PROVISIONING, message, id);
    }

    /**
     * Offboarding: pauses and deletes the synchronization job.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("RemoveJob")
    public void removeJob(
        @QueueTrigger(name = "message", queueName = Queues.REMOVE_JOB, connection = Queues.CONNECTION) String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.REMOVE_JOB, message, id);
    }

    /**
     * Offboarding: deletes the service principal and the application.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("RemoveApplication")
    public void removeApplication(
        @QueueTrigger(name = "message", queueName = Queues.REMOVE_APP, connection = Queues.CONNECTION) String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.REMOVE_APPLICATION, message, id);
    }

    /**
     * Offboarding: deletes the Cloudflare tokens minted for the account.
     *
     * @param message the step message
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("RemoveTokens")
    public void removeTokens(
        @QueueTrigger(name = "message", queueName = Queues.REMOVE_TOKENS, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().runner().handle(StepName.REMOVE_TOKENS, message, id);
    }
}
