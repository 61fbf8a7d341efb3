package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.scimonboard.Services;
import dev.scimonboard.pipeline.Queues;

/**
 * Outcome callbacks: each message on the send-callback queue is one attempt to POST an ended run's status document
 * to the callback URL of its request; a message the host gave up on records the callback as failed.
 */
public final class CallbackFunctions {

    /**
     * Makes one attempt, and sends the next one when it is worth it.
     *
     * @param message the callback message
     * @param id the queue message id, stable across redeliveries
     * @param context the invocation
     */
    @FunctionName("SendCallback")
    public void send(
        @QueueTrigger(name = "message", queueName = Queues.SEND_CALLBACK, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().callbacks().handle(message, id);
    }

    /**
     * Records a callback whose message the host gave up on.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("SendCallbackPoison")
    public void sendPoison(@QueueTrigger(name = "message", queueName = Queues.SEND_CALLBACK_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().callbacks().handlePoison(message);
    }
}
