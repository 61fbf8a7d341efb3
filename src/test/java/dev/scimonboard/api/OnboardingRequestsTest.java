package dev.scimonboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.status.DesiredState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnboardingRequestsTest {
    private static final String GROUP = "6f1a0c3e-9d2b-4f7a-8c1e-2b3d4e5f6a7b";

    @Test
    void emptyBodyAsksForDefaults() throws InvalidRequest {
        DesiredState desired = OnboardingRequests.parse("");

        assertNull(desired.displayName());
        assertTrue(desired.groups().isEmpty());
        assertTrue(desired.startProvisioning());
    }

    @Test
    void fullBodyIsReadWithIdsInLowerCaseAndWithoutRepeats() throws InvalidRequest {
        DesiredState desired = OnboardingRequests.parse("{\"displayName\":\" Example Corp \",\"groups\":[\""
            + GROUP.toUpperCase() + "\",\"" + GROUP + "\"],\"users\":[],\"startProvisioning\":false,"
            + "\"reference\":\"INC-42\"}");

        assertEquals("Example Corp", desired.displayName());
        assertEquals(List.of(GROUP), desired.groups());
        assertFalse(desired.startProvisioning());
        assertEquals("INC-42", desired.reference());
    }

    @Test
    void unknownFieldIsNamedInTheProblem() {
        InvalidRequest e = assertThrows(InvalidRequest.class,
            () -> OnboardingRequests.parse("{\"group\":[\"" + GROUP + "\"]}"));

        assertEquals(400, e.problem().status());
        assertEquals("/group", e.problem().errors().get(0).pointer());
        assertTrue(e.problem().errors().get(0).detail().contains("unknown field"));
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(
            "{\"displayName\":5,\"groups\":[\"not-a-guid\"],\"startProvisioning\":\"yes\"}"));

        List<String> pointers = e.problem().errors().stream().map(Problem.FieldError::pointer).toList();
        assertEquals(List.of("/displayName", "/groups/0", "/startProvisioning"), pointers);
    }

    @Test
    void tooManyGroupsAreRefused() {
        String groups = String.join(",", java.util.Collections.nCopies(101, "\"" + GROUP + "\""));

        InvalidRequest e = assertThrows(InvalidRequest.class,
            () -> OnboardingRequests.parse("{\"groups\":[" + groups + "]}"));

        assertTrue(e.problem().errors().get(0).detail().contains("at most 100"));
    }

    @Test
    void oversizedBodyIsRefusedWithTheLimit() {
        String body = "{\"displayName\":\"" + "a".repeat(OnboardingRequests.MAX_BODY_BYTES) + "\"}";

        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(body));

        assertTrue(e.problem().detail().contains(String.valueOf(OnboardingRequests.MAX_BODY_BYTES)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "null", "\"text\"", "{\"a\":1} {}", "{\"displayName\":\"a\",\"displayName\":\"b\"}"})
    void bodyThatIsNotOneJsonObjectIsRefused(String body) {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(body));

        assertEquals(400, e.problem().status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Line\nbreak", "Right\u202Eto left", "Zero\u200Bwidth", "Bell\u0007"})
    void displayNameWithControlOrFormattingCharactersIsRefused(String name) {
        String body = "{\"displayName\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(name) + "}";

        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(body));

        assertTrue(e.problem().errors().get(0).detail().contains("control or formatting"));
    }

    @Test
    void displayNameWithQuotesAndODataOperatorsIsKeptAsText() throws InvalidRequest {
        DesiredState desired = OnboardingRequests.parse("{\"displayName\":\"O'Brien' or 1 eq 1 --\"}");

        assertEquals("O'Brien' or 1 eq 1 --", desired.displayName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef", "../../etc/passwd",
        "0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcdef0"})
    void accountIdThatIsNotCloudflaresIsRefused(String accountId) {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.checkAccountId(accountId));

        assertTrue(e.problem().detail().contains("32 lower-case hexadecimal"));
    }

    @Test
    void upperCaseAccountIdGetsAHint() {
        InvalidRequest e = assertThrows(InvalidRequest.class,
            () -> OnboardingRequests.checkAccountId("0123456789ABCDEF0123456789ABCDEF"));

        assertTrue(e.problem().detail().contains("lower case"));
    }

    @Test
    void deeplyNestedArraysAreRefusedAsInvalidNotAsAnOutage() {
        String body = "{\"groups\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        InvalidRequest e = assertThrows(InvalidRequest.class, () -> OnboardingRequests.parse(body));

        assertEquals(400, e.problem().status());
    }

    @Test
    void textThatWasNotUtf8IsRefused() {
        InvalidRequest e = assertThrows(InvalidRequest.class,
            () -> OnboardingRequests.parse("{\"displayName\":\"caf\uFFFD\"}"));

        assertEquals("/displayName", e.problem().errors().get(0).pointer());
    }
}
