package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests through the local host: a problem document naming what to fix, and nothing recorded or queued. */
class RequestValidationIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    static Stream<Arguments> badRequests() {
        String group = "6f1a0c3e-9d2b-4f7a-8c1e-2b3d4e5f6a7b";
        return Stream.of(
            Arguments.of("broken JSON", "application/json", "{\"groups\":[", 400, "not valid JSON"),
            Arguments.of("array body", "application/json", "[]", 400, "JSON object"),
            Arguments.of("unknown field", "application/json", "{\"owner\":\"me\"}", 400, "/owner"),
            Arguments.of("wrong type", "application/json", "{\"groups\":\"" + group + "\"}", 400, "/groups"),
            Arguments.of("non-GUID object id", "application/json", "{\"users\":[\"alice@example.com\"]}", 400,
                "/users/0"),
            Arguments.of("string boolean", "application/json", "{\"startProvisioning\":\"true\"}", 400,
                "/startProvisioning"),
            Arguments.of("right-to-left override", "application/json", "{\"displayName\":\"abc\\u202Efed\"}", 400,
                "U+202E"),
            Arguments.of("huge body", "application/json", "{\"reference\":\"" + "x".repeat(40_000) + "\"}", 400,
                "bytes"),
            Arguments.of("form content type", "application/x-www-form-urlencoded", "groups=1", 415,
                "application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badBodyIsRefusedWithAProblemAndNothingIsStarted(String name, String contentType, String body, int status,
        String mentioned) {
        String accountId = pipeline.newAccount();

        HttpResponse<String> response = pipeline.send(HttpRequest.newBuilder(pipeline.api("/onboardings/"
            + accountId)).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));

        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = TestPipeline.read(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertTrue(response.body().contains(mentioned), response.body());
        assertEquals(404, pipeline.get("/onboardings/" + accountId).statusCode(), "no status was written");
        assertFalse(pipeline.queuedMessageTexts().stream().anyMatch(m -> m.contains(accountId)),
            "no message was queued");
    }

    @ParameterizedTest
    @MethodSource("badAccountIds")
    void accountIdThatIsNotCloudflaresIsRefused(String accountId) {
        HttpResponse<String> response = pipeline.put(accountId, "{}");

        assertTrue(response.statusCode() == 400 || response.statusCode() == 404, response.body());
        assertFalse(pipeline.queuedMessageTexts().stream().anyMatch(m -> m.contains(accountId)));
    }

    static Stream<String> badAccountIds() {
        return Stream.of("0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef", "not-an-account",
            "0123456789abcdef0123456789abcdeg");
    }
}
