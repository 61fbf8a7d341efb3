package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.AssignmentSnapshot;
import dev.scimonboard.pipeline.Queues;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Onboarding events, base64-encoded on the onboarding-events queue as Event Grid writes them, start the same
 * onboarding a PUT starts; events that cannot be used are set aside once in onboarding-events-rejected.
 */
class EventIntakeIT {
    private static final String TYPE = "Cloudflare.Account.Created";
    private static final Duration INTAKE_TIMEOUT = Duration.ofSeconds(30);

    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void eventGridEventOnboardsTheAccountWithOneApplication() {
        String accountId = pipeline.newAccount();
        String group = pipeline.newGroup();
        String eventId = newEventId();

        send(eventGrid(eventId, TYPE, "{\"accountId\":\"" + accountId + "\",\"name\":\"Events " + eventId
            + "\",\"groups\":[\"" + group + "\"],\"reference\":\"CHG-EG\"}"));
        JsonNode status = awaitEnded(accountId);

        assertSucceededWithOneApplication(status);
        assertEquals(eventId, status.path("correlationId").asText(), "the event id is the correlation id");
        assertEquals("Events " + eventId, status.path("desired").path("displayName").asText());
        assertEquals("CHG-EG", status.path("reference").asText());
        assertEquals(List.of(group), pipeline.tenant.assignments(status.path("servicePrincipalId").asText())
            .stream().map(AssignmentSnapshot::principalId).toList());
    }

    @Test
    void cloudEventOnboardsTheAccountWithOneApplication() {
        String accountId = pipeline.newAccount();
        String eventId = newEventId();

        send(cloudEvent(eventId, TYPE, "{\"accountId\":\"" + accountId + "\",\"startProvisioning\":false}"));
        JsonNode status = awaitEnded(accountId);

        assertSucceededWithOneApplication(status);
        assertEquals(eventId, status.path("correlationId").asText());
        assertEquals("Disabled", pipeline.tenant.jobs(status.path("servicePrincipalId").asText()).get(0)
            .scheduleState());
    }

    @Test
    void arrayOfEventsOnboardsEachAccount() {
        String first = pipeline.newAccount();
        String second = pipeline.newAccount();

        send("[" + eventGrid(newEventId(), TYPE, "{\"accountId\":\"" + first + "\"}") + ","
            + cloudEvent(newEventId(), TYPE, "{\"accountId\":\"" + second + "\"}") + "]");

        assertSucceededWithOneApplication(awaitEnded(first));
        assertSucceededWithOneApplication(awaitEnded(second));
    }

    @Test
    void putAndEventForTheSameAccountMakeOneOnboarding() {
        String accountId = pipeline.newAccount();
        String eventId = newEventId();

        HttpResponse<String> accepted = pipeline.put(accountId, "{\"reference\":\"CHG-PUT\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        send(eventGrid(eventId, TYPE, "{\"accountId\":\"" + accountId + "\",\"reference\":\"CHG-EVENT\"}"));
        TestPipeline.await("the event to be taken", INTAKE_TIMEOUT,
            () -> pipeline.hostLog().contains("eventId=" + eventId));
        JsonNode status = pipeline.awaitEnded(accountId);

        assertSucceededWithOneApplication(status);
        long requests = StreamSupport.stream(status.path("history").spliterator(), false)
            .filter(h -> "request".equals(h.path("step").asText())).count();
        assertEquals(1, requests, "one onboarding was requested: " + status.path("history"));
        assertEquals("CHG-PUT", status.path("reference").asText(), "the running onboarding was not replaced");
    }

    @Test
    void unusableEventsAreSetAsideOnceUnchangedAndStartNothing() {
        QueueClient rejected = queue(Queues.ONBOARDING_EVENTS_REJECTED);
        rejected.clearMessages();
        String marker = newEventId();
        String otherTypeAccount = pipeline.newAccount();
        String notJson = "not JSON " + marker;
        String otherType = eventGrid(marker + "-type", "Cloudflare.Account.Deleted",
            "{\"accountId\":\"" + otherTypeAccount + "\"}");
        String badAccount = cloudEvent(marker + "-account", TYPE, "{\"accountId\":\"" + otherTypeAccount
            .toUpperCase() + "\"}");
        List<String> unusable = List.of(notJson, otherType, badAccount);

        unusable.forEach(this::send);
        TestPipeline.await("the three events to be set aside", INTAKE_TIMEOUT,
            () -> texts(rejected).containsAll(unusable));
        // Once set aside, each message has also been settled; then nothing more may arrive.
        TestPipeline.await("the intake queue to be empty", INTAKE_TIMEOUT,
            () -> pipeline.approximateMessageCount(Queues.ONBOARDING_EVENTS) == 0);

        assertEquals(sorted(unusable), sorted(texts(rejected)), "each event set aside once, as it was sent");
        // Both events name this account (one in upper case); neither may have started an onboarding of it.
        assertEquals(404, pipeline.get("/onboardings/" + otherTypeAccount).statusCode(), "nothing started");
        assertEquals(0, count(Queues.ONBOARDING_EVENTS + "-poison"), "no event failed into the poison queue");
        String log = pipeline.hostLog();
        for (String id : List.of(marker + "-type", marker + "-account")) {
            assertEquals(1, log.split("set aside in the rejected-events queue[^\\n]*eventId=" + id).length - 1,
                "one log line for event " + id);
        }
    }

    private static String newEventId() {
        return "evt-" + UUID.randomUUID();
    }

    /** An Event Grid schema event, as Event Grid writes it to a storage queue. */
    private static String eventGrid(String id, String type, String data) {
        return "{\"id\":\"" + id + "\",\"topic\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft.EventGrid/"
            + "topics/t\",\"subject\":\"cloudflare/accounts\",\"eventType\":\"" + type + "\",\"eventTime\":"
            + "\"2025-01-02T03:04:05.678Z\",\"data\":" + data + ",\"dataVersion\":\"1.0\",\"metadataVersion\":\"1\"}";
    }

    /** A CloudEvents 1.0 event, as Event Grid writes it with the CloudEvents delivery schema. */
    private static String cloudEvent(String id, String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"source\":"
            + "\"/ticketing/changes\",\"time\":\"2025-01-02T03:04:05Z\",\"datacontenttype\":\"application/json\","
            + "\"data\":" + data + "}";
    }

    /** Sends a message to the intake queue, base64-encoded as Event Grid writes it. */
    private void send(String text) {
        QueueClient intake = queue(Queues.ONBOARDING_EVENTS);
        intake.createIfNotExists();
        intake.sendMessage(text);
    }

    private static List<String> sorted(List<String> texts) {
        return texts.stream().sorted().toList();
    }

    private QueueClient queue(String name) {
        QueueClient queue = pipeline.queues().getQueueClient(name);
        queue.createIfNotExists();
        return queue;
    }

    /** The decoded texts waiting in a queue, oldest first (up to 32, the most a peek returns). */
    private static List<String> texts(QueueClient queue) {
        List<String> texts = new ArrayList<>();
        for (PeekedMessageItem message : queue.peekMessages(32, null, null)) {
            texts.add(message.getBody().toString());
        }
        return texts;
    }

    private int count(String queueName) {
        try {
            return pipeline.approximateMessageCount(queueName);
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                return 0;
            }
            throw e;
        }
    }

    /** Waits for the event to create the onboarding, then for the onboarding to end. */
    private JsonNode awaitEnded(String accountId) {
        TestPipeline.await("an onboarding of " + accountId, INTAKE_TIMEOUT,
            () -> pipeline.get("/onboardings/" + accountId).statusCode() == 200);
        return pipeline.awaitEnded(accountId);
    }

    private void assertSucceededWithOneApplication(JsonNode status) {
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        String name = status.path("applicationDisplayName").asText();
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(name).size(), "applications named " + name);
        assertTrue(status.path("error").isNull());
    }
}
