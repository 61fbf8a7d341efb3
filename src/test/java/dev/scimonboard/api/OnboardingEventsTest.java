package dev.scimonboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.api.OnboardingEvents.Batch;
import dev.scimonboard.api.OnboardingEvents.OnboardingEvent;
import dev.scimonboard.api.OnboardingEvents.Schema;
import dev.scimonboard.api.OnboardingEvents.UnusableEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnboardingEventsTest {
    private static final String TYPE = "Cloudflare.Account.Created";
    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
    private static final String GROUP = "6f1a0c3e-9d2b-4f7a-8c1e-2b3d4e5f6a7b";
    private static final String USER = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";

    /** An Event Grid schema event, as Event Grid writes it to a storage queue. */
    private static String eventGrid(String id, String type, String data) {
        return "{\"id\":\"" + id + "\",\"topic\":\"/subscriptions/x/resourceGroups/y/providers/Microsoft.EventGrid/"
            + "topics/z\",\"subject\":\"accounts/" + ACCOUNT + "\",\"eventType\":\"" + type + "\",\"eventTime\":"
            + "\"2025-01-02T03:04:05.678Z\",\"data\":" + data + ",\"dataVersion\":\"1.0\",\"metadataVersion\":\"1\"}";
    }

    /** A CloudEvents 1.0 event in its JSON format. */
    private static String cloudEvent(String id, String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"source\":"
            + "\"/ticketing/changes\",\"time\":\"2025-01-02T03:04:05Z\",\"datacontenttype\":\"application/json\","
            + "\"data\":" + data + "}";
    }

    private static Batch read(String message) {
        return OnboardingEvents.read(message, TYPE);
    }

    private static UnusableEvent onlyUnusable(Batch batch) {
        assertTrue(batch.events().isEmpty(), "events: " + batch.events());
        assertEquals(1, batch.unusable().size(), "unusable: " + batch.unusable());
        return batch.unusable().get(0);
    }

    @Test
    void eventGridEventAsksForTheOnboardingItsDataDescribes() {
        Batch batch = read(eventGrid("evt-1", TYPE, "{\"accountId\":\"" + ACCOUNT + "\",\"name\":\" Team A \","
            + "\"groups\":[\"" + GROUP.toUpperCase() + "\"],\"users\":[\"" + USER + "\"],\"startProvisioning\":false,"
            + "\"reference\":\"CHG-7\"}"));

        assertTrue(batch.unusable().isEmpty(), batch.unusable().toString());
        OnboardingEvent event = batch.events().get(0);
        assertEquals("evt-1", event.id());
        assertEquals(Schema.EVENT_GRID, event.schema());
        assertEquals(ACCOUNT, event.accountId());
        assertEquals("Team A", event.desired().displayName());
        assertEquals(List.of(GROUP), event.desired().groups());
        assertEquals(List.of(USER), event.desired().users());
        assertFalse(event.desired().startProvisioning());
        assertEquals("CHG-7", event.desired().reference());
    }

    @Test
    void cloudEventAsksForTheOnboardingWithPutDefaults() {
        Batch batch = read(cloudEvent("ce-1", TYPE, "{\"accountId\":\"" + ACCOUNT + "\"}"));

        OnboardingEvent event = batch.events().get(0);
        assertEquals(Schema.CLOUD_EVENTS, event.schema());
        assertEquals("ce-1", event.id());
        assertEquals(ACCOUNT, event.accountId());
        assertNull(event.desired().displayName());
        assertTrue(event.desired().groups().isEmpty());
        assertTrue(event.desired().startProvisioning());
    }

    @Test
    void cloudEventWithoutDataContentTypeIsReadAsJson() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"ce-2\",\"type\":\"" + TYPE + "\",\"source\":\"s\","
            + "\"data\":{\"accountId\":\"" + ACCOUNT + "\"}}";

        assertEquals(ACCOUNT, read(event).events().get(0).accountId());
    }

    @Test
    void displayNameInDataIsAcceptedAsInAPut() {
        Batch batch = read(eventGrid("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\",\"displayName\":\"Team B\"}"));

        assertEquals("Team B", batch.events().get(0).desired().displayName());
    }

    @Test
    void arrayOfEventsGivesEachEventAndSetsAsideOnlyTheUnusableEntry() {
        String other = "fedcba9876543210fedcba9876543210";
        String bad = eventGrid("e-2", "Other.Type", "{\"accountId\":\"" + ACCOUNT + "\"}");
        String message = "[" + eventGrid("e-1", TYPE, "{\"accountId\":\"" + ACCOUNT + "\"}") + "," + bad + ","
            + cloudEvent("e-3", TYPE, "{\"accountId\":\"" + other + "\"}") + "]";

        Batch batch = read(message);

        assertEquals(List.of(ACCOUNT, other), batch.events().stream().map(OnboardingEvent::accountId).toList());
        assertEquals(1, batch.unusable().size());
        UnusableEvent unusable = batch.unusable().get(0);
        assertEquals("e-2", unusable.id());
        assertEquals(tree(bad), tree(unusable.text()), "the entry is set aside as it was");
        assertTrue(unusable.reason().startsWith("entry 1: "), unusable.reason());
    }

    @Test
    void singleUnusableEventIsSetAsideExactlyAsItCame() {
        String message = eventGrid("e", "Other.Type", "{\"accountId\":\"" + ACCOUNT + "\"}");

        assertEquals(message, onlyUnusable(read(message)).text());
    }

    @Test
    void otherEventTypeIsUnusableAndTheReasonNamesBothTypes() {
        UnusableEvent unusable = onlyUnusable(read(cloudEvent("e", "Cloudflare.Account.Deleted",
            "{\"accountId\":\"" + ACCOUNT + "\"}")));

        assertEquals("e", unusable.id());
        assertTrue(unusable.reason().contains("'Cloudflare.Account.Deleted'"), unusable.reason());
        assertTrue(unusable.reason().contains(TYPE), unusable.reason());
        assertTrue(unusable.reason().contains("ONBOARDING_EVENT_TYPE"), unusable.reason());
    }

    @Test
    void configuredEventTypeReplacesTheDefault() {
        String message = eventGrid("e", "Contoso.Onboard", "{\"accountId\":\"" + ACCOUNT + "\"}");

        assertEquals(1, OnboardingEvents.read(message, "Contoso.Onboard").events().size());
        assertEquals(1, OnboardingEvents.read(message, TYPE).unusable().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"id\":", "{\"a\":1} trailing", "{\"id\":\"1\",\"id\":\"2\"}"})
    void textThatIsNotOneJsonValueIsUnusable(String message) {
        UnusableEvent unusable = onlyUnusable(read(message));

        assertEquals(message, unusable.text());
        assertTrue(unusable.reason().startsWith("the message is not JSON"), unusable.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "[]", "42", "\"text\"", "null", "[1]"})
    void messageWithoutAnEventObjectIsUnusable(String message) {
        onlyUnusable(read(message));
    }

    @Test
    void objectOfNeitherSchemaIsUnusable() {
        UnusableEvent unusable = onlyUnusable(read("{\"id\":\"e\",\"accountId\":\"" + ACCOUNT + "\"}"));

        assertTrue(unusable.reason().contains("neither an Event Grid event"), unusable.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "subject", "eventType", "eventTime"})
    void eventGridEventWithoutARequiredFieldIsUnusable(String field) {
        String message = eventGrid("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\"}")
            .replace("\"" + field + "\":", "\"x" + field + "\":");
        if (field.equals("eventType")) {
            // Without eventType the object is of neither schema; an empty one is a missing one.
            message = eventGrid("e", "", "{\"accountId\":\"" + ACCOUNT + "\"}");
        }

        UnusableEvent unusable = onlyUnusable(read(message));

        assertTrue(unusable.reason().contains("without " + field), unusable.reason());
    }

    @Test
    void cloudEventOfAnotherVersionIsUnusable() {
        String message = cloudEvent("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\"}")
            .replace("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"");

        assertTrue(onlyUnusable(read(message)).reason().contains("specversion '0.3'"));
    }

    @Test
    void cloudEventWithBinaryDataIsUnusable() {
        String message = "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"" + TYPE + "\",\"source\":\"s\","
            + "\"data_base64\":\"e30=\"}";

        assertTrue(onlyUnusable(read(message)).reason().contains("data_base64"));
    }

    @Test
    void cloudEventWithDataOfAnotherContentTypeIsUnusable() {
        String message = cloudEvent("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\"}")
            .replace("application/json", "text/plain");

        assertTrue(onlyUnusable(read(message)).reason().contains("datacontenttype 'text/plain'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0123456789ABCDEF0123456789ABCDEF\"", "\"../../etc\"", "42", "null", "\"\""})
    void invalidAccountIdIsUnusable(String accountId) {
        UnusableEvent unusable = onlyUnusable(read(eventGrid("e", TYPE, "{\"accountId\":" + accountId + "}")));

        assertTrue(unusable.reason().startsWith("data/accountId must be a Cloudflare account id"),
            unusable.reason());
    }

    @Test
    void missingAccountIdIsUnusable() {
        UnusableEvent unusable = onlyUnusable(read(cloudEvent("e", TYPE, "{\"name\":\"Team\"}")));

        assertTrue(unusable.reason().contains("not null"), unusable.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"text\"", "[]"})
    void dataThatIsNotAnObjectIsUnusable(String data) {
        assertTrue(onlyUnusable(read(eventGrid("e", TYPE, data))).reason().startsWith("data must be an object"));
    }

    @Test
    void dataIsValidatedAsAPutBodyAndEveryProblemIsNamed() {
        UnusableEvent unusable = onlyUnusable(read(eventGrid("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\","
            + "\"name\":5,\"groups\":[\"not-a-guid\"],\"startProvisioning\":\"yes\"}")));

        assertEquals("data/name must be a string, not a number; data/groups/0 must be an Entra object id (a GUID "
            + "such as 00000000-0000-0000-0000-000000000000), not 'not-a-guid'; data/startProvisioning must be true "
            + "or false, not a string", unusable.reason());
    }

    @Test
    void unknownDataFieldIsRefusedAsInAPut() {
        UnusableEvent unusable = onlyUnusable(read(eventGrid("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\","
            + "\"group\":[\"" + GROUP + "\"]}")));

        assertTrue(unusable.reason().startsWith("data/group unknown field"), unusable.reason());
    }

    @Test
    void nameAndDisplayNameTogetherAreRefused() {
        UnusableEvent unusable = onlyUnusable(read(eventGrid("e", TYPE, "{\"accountId\":\"" + ACCOUNT + "\","
            + "\"name\":\"A\",\"displayName\":\"B\"}")));

        assertTrue(unusable.reason().contains("not both"), unusable.reason());
    }

    @Test
    void reasonQuotesOnlyAShortPartOfALongValue() {
        String type = "T".repeat(5000);

        UnusableEvent unusable = onlyUnusable(read(eventGrid("e", type, "{\"accountId\":\"" + ACCOUNT + "\"}")));

        assertTrue(unusable.reason().length() < 300, unusable.reason());
    }

    /** A JSON text as a tree, to compare texts by value. */
    private static JsonNode tree(String text) {
        try {
            return OnboardingRequests.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
