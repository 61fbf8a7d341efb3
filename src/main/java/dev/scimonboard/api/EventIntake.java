package dev.scimonboard.api;

import static dev.scimonboard.Logs.line;

import dev.scimonboard.api.OnboardingEvents.Batch;
import dev.scimonboard.api.OnboardingEvents.OnboardingEvent;
import dev.scimonboard.api.OnboardingEvents.UnusableEvent;
import dev.scimonboard.api.OnboardingsApi.Accepted;
import dev.scimonboard.pipeline.Queues;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.StatusStore;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Takes onboarding events from the intake queue and starts the onboarding each asks for, exactly as a PUT with the
 * same fields would. An event that cannot be used is set aside once, unchanged, with its reason logged: delivering
 * it again would not make it usable. A storage failure is thrown, so that the host delivers the message again.
 */
public final class EventIntake {
    private static final Logger LOG = Logger.getLogger(EventIntake.class.getName());

    private final OnboardingsApi api;
    private final StatusStore store;
    private final Consumer<String> setAside;
    private final String eventType;

    /**
     * Creates the intake.
     *
     * @param api the onboardings resource, which starts onboardings
     * @param store the status table, to recognise an event taken before
     * @param setAside sends an unusable event's text, unchanged, to the rejected-events queue; throws when it cannot
     * @param eventType the event type that asks for an onboarding
     */
    public EventIntake(OnboardingsApi api, StatusStore store, Consumer<String> setAside, String eventType) {
        this.api = api;
        this.store = store;
        this.setAside = setAside;
        this.eventType = eventType;
    }

    /**
     * Takes one queue message: starts an onboarding for each usable event in it and sets aside the rest.
     *
     * @param message the message text, decoded from base64 by the host
     * @param messageId the queue message id, for the log
     * @throws RuntimeException when storage fails; the message is to be delivered again, and what it already
     *     started is recognised then
     */
    public void take(String message, String messageId) {
        Batch batch = OnboardingEvents.read(message, eventType);

        // Start first: a storage failure here throws before anything is set aside, so a redelivery sets nothing
        // aside twice.
        for (OnboardingEvent event : batch.events()) {
            start(event, messageId);
        }
        for (UnusableEvent unusable : batch.unusable()) {
            setAside.accept(unusable.text());
            LOG.warning(line("onboarding event cannot be used; set aside in the rejected-events queue",
                "queue", Queues.ONBOARDING_EVENTS_REJECTED, "messageId", messageId,
                "eventId", unusable.id(), "reason", unusable.reason()));
        }
    }

    private void start(OnboardingEvent event, String messageId) {
        String correlationId = OnboardingsApi.correlationId(event.id());
        // Event Grid delivers at least once. A redelivered event must not converge an onboarding that it already
        // started and that has ended since; the event id, kept as the run's correlation id, recognises it.
        Optional<Onboarding> found = store.find(event.accountId());
        if (correlationId.equals(event.id()) && found.isPresent()
            && correlationId.equals(found.get().correlationId())) {
            LOG.info(line("onboarding event taken before; nothing new started", "accountId", event.accountId(),
                "eventId", event.id(), "messageId", messageId, "state", found.get().state().wireName()));
            return;
        }
        Accepted accepted = api.start(event.accountId(), event.desired(), correlationId);
        LOG.info(line(accepted.started() ? "onboarding event taken; onboarding started"
                : "onboarding event taken; an onboarding of the account is already under way, nothing new started",
            "accountId", event.accountId(), "eventId", OnboardingRequests.printable(event.id(), 64), "schema",
            event.schema(), "messageId", messageId, "correlationId", accepted.onboarding().correlationId()));
    }
}
