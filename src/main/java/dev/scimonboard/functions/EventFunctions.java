package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.scimonboard.Services;
import dev.scimonboard.pipeline.Queues;

/** The intake of onboarding events: Event Grid writes them to a storage queue, and this trigger hands them on. */
public final class EventFunctions {

    /**
     * Starts the onboarding an event asks for; sets aside an event that cannot be used. Throws only when storage
     * fails, so that the host delivers the message again.
     *
     * @param message the event (or array of events) as JSON text, decoded from base64 by the host
     * @param id the queue message id
     * @param context the invocation
     */
    @FunctionName("OnboardingEvent")
    public void onboardingEvent(
        @QueueTrigger(name = "message", queueName = Queues.ONBOARDING_EVENTS, connection = Queues.CONNECTION)
        String message,
        @BindingName("Id") String id, ExecutionContext context) {
        Services.get().intake().take(message, id);
    }
}
