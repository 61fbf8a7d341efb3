package dev.scimonboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.scimonboard.callback.CallbackHosts;
import dev.scimonboard.status.CallbackDelivery;
import dev.scimonboard.status.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code callbackUrl} of a PUT body (and of a bulk entry, which is validated the same way). */
class CallbackRequestsTest {
    private static final CallbackHosts ALLOWED = CallbackHosts.parse("hooks.ticketing.example");

    @Test
    void aCallbackUrlOnAnAllowedHostIsKeptInTheDesiredState() throws InvalidRequest {
        DesiredState desired = OnboardingRequests.parse("{\"callbackUrl\":\"https://hooks.ticketing.example/done\"}",
            Set.of(), ALLOWED);

        assertEquals("https://hooks.ticketing.example/done", desired.callbackUrl());
        assertNull(OnboardingRequests.parse("{}", Set.of(), ALLOWED).callbackUrl());
    }

    @Test
    void aRefusedCallbackUrlIsAFieldErrorAtCallbackUrlAmongTheOthers() {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(
            "{\"groups\":[\"nope\"],\"callbackUrl\":\"http://hooks.ticketing.example/done\"}", Set.of(), ALLOWED));

        assertEquals(400, e.problem().status());
        assertEquals(List.of("/groups/0", "/callbackUrl"), e.problem().errors().stream()
            .map(Problem.FieldError::pointer).toList());
        assertTrue(e.problem().errors().get(1).detail().contains("https"), e.problem().errors().toString());
    }

    @Test
    void withoutAllowedHostsTheFieldIsRefusedNamingTheSettingToSet() {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(
            "{\"callbackUrl\":\"https://hooks.ticketing.example/done\"}"));

        assertEquals("/callbackUrl", e.problem().errors().get(0).pointer());
        assertTrue(e.problem().errors().get(0).detail().contains("CALLBACK_ALLOWED_HOSTS"));
    }

    @Test
    void aCallbackUrlMustBeTextWithoutControlCharactersAndAtMost2048Characters() {
        for (String value : new String[] {"42", "\"https://hooks.ticketing.example/\\u202Edone\"",
            "\"https://hooks.ticketing.example/" + "a".repeat(2030) + "\"", "\"\""}) {
            InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(
                "{\"callbackUrl\":" + value + "}", Set.of(), ALLOWED), value);
            assertEquals("/callbackUrl", e.problem().errors().get(0).pointer());
        }
    }

    @Test
    void statusEntitiesWrittenBeforeCallbacksExistedAreStillRead() throws Exception {
        // The status table's mapper: unknown properties are ignored, missing ones are null.
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        DesiredState old = json.readValue("{\"displayName\":null,\"groups\":[],\"users\":[],\"startProvisioning\":"
            + "true,\"reference\":null,\"scimTokenSecret\":null}", DesiredState.class);
        DesiredState withCallback = new DesiredState(null, List.of(), List.of(), true, null, null, false,
            "https://hooks.ticketing.example/done");
        CallbackDelivery delivery = new CallbackDelivery(CallbackDelivery.DELIVERED, "run-1", 2, 204,
            Instant.parse("2026-01-01T00:00:00Z"), null, null, null);

        assertNull(old.callbackUrl());
        assertEquals(withCallback, json.readValue(json.writeValueAsString(withCallback), DesiredState.class));
        assertEquals(delivery, json.readValue(json.writeValueAsString(delivery), CallbackDelivery.class));
        assertTrue(delivery.settled());
    }
}
