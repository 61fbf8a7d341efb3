package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.scimonboard.Services;
import dev.scimonboard.pipeline.Queues;

/**
 * Rotation of the SCIM tokens the app minted: a timer that sends one message per account whose token is due, and
 * the queue trigger that replaces each token. Off unless {@code TOKEN_ROTATION_MAX_AGE_DAYS} is set; the schedule
 * setting must exist all the same, because the Functions host resolves it before anything runs.
 */
public final class RotationFunctions {

    /**
     * One rotation run: finds the minted tokens older than the maximum age.
     *
     * @param timerInfo the timer information as JSON text, unused
     * @param context the invocation, whose id names the run in the log
     */
    @FunctionName("ScheduleTokenRotations")
    public void schedule(@TimerTrigger(name = "timer", schedule = "%TOKEN_ROTATION_SCHEDULE%") String timerInfo,
        ExecutionContext context) {
        Services.get().rotation().schedule(context.getInvocationId());
    }

    /**
     * Replaces one account's minted token.
     *
     * @param message the rotation message
     * @param id the queue message id, stable across redeliveries
     * @param context the invocation
     */
    @FunctionName("RotateToken")
    public void rotate(
        @QueueTrigger(name = "message", queueName = Queues.ROTATE_TOKEN, connection = Queues.CONNECTION) String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().rotation().handle(message, id);
    }

    /**
     * Records a rotation whose message the host gave up on.
     *
     * @param message the poisoned message
     * @param context the invocation
     */
    @FunctionName("RotateTokenPoison")
    public void rotatePoison(@QueueTrigger(name = "message", queueName = Queues.ROTATE_TOKEN_POISON,
        connection = Queues.CONNECTION) String message, ExecutionContext context) {
        Services.get().rotation().handlePoison(message);
    }
}
