package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /api/onboardings}: many accounts in one request, each entry answered on its own. */
class BulkOnboardingIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void validEntriesAreAcceptedAndOnboardedWhileInvalidOnesAreRejectedWithTheirProblem() {
        String first = pipeline.newAccount();
        String second = pipeline.newAccount();
        String group = pipeline.newGroup();
        String body = "{\"accounts\":["
            + "{\"accountId\":\"" + first + "\",\"groups\":[\"" + group + "\"]},"
            + "{\"accountId\":\"NOT-AN-ACCOUNT\"},"
            + "{\"accountId\":\"" + second + "\",\"displayName\":\"Bulk two\",\"startProvisioning\":false},"
            + "{\"accountId\":\"" + first + "\"},"
            + "{\"accountId\":\"" + pipeline.newAccount() + "\",\"users\":[\"alice\"]},"
            + "42]}";

        HttpResponse<String> response = post(body);

        assertEquals(202, response.statusCode(), response.body());
        JsonNode answer = TestPipeline.read(response.body());
        assertEquals(2, answer.path("accepted").asInt());
        assertEquals(4, answer.path("rejected").asInt());
        JsonNode results = answer.path("results");
        assertEquals(List.of("accepted", "rejected", "accepted", "rejected", "rejected", "rejected"),
            List.of(status(results, 0), status(results, 1), status(results, 2), status(results, 3),
                status(results, 4), status(results, 5)));
        assertEquals("/api/onboardings/" + first, results.get(0).path("location").asText());
        assertTrue(results.get(1).path("problem").path("detail").asText().contains("32 lower-case hexadecimal"));
        assertTrue(results.get(3).path("problem").path("detail").asText().contains("already entry 0"));
        assertEquals("/users/0", results.get(4).path("problem").path("errors").get(0).path("pointer").asText());
        assertEquals(400, results.get(5).path("problem").path("status").asInt());

        JsonNode one = pipeline.awaitEnded(first);
        JsonNode two = pipeline.awaitEnded(second);
        assertEquals("succeeded", one.path("state").asText(), one.toString());
        assertEquals("succeeded", two.path("state").asText(), two.toString());
        assertEquals("Bulk two (" + second + ")", two.path("applicationDisplayName").asText());
        assertEquals(1, pipeline.tenant.assignments(one.path("servicePrincipalId").asText()).size());
        assertEquals(404, pipeline.get("/onboardings/" + results.get(4).path("accountId").asText()).statusCode(),
            "a rejected entry writes nothing");
    }

    @Test
    void requestThatIsNotABulkRequestIsRefusedAsAWhole() {
        HttpResponse<String> tooMany = post("{\"accounts\":[" + "{},".repeat(1000) + "{}]}");
        HttpResponse<String> notAnArray = post("{\"accounts\":{}}");
        HttpResponse<String> extraField = post("{\"accounts\":[{}],\"dryRun\":true}");

        assertEquals(400, tooMany.statusCode());
        assertTrue(tooMany.body().contains("1 to 1000"), tooMany.body());
        assertEquals(400, notAnArray.statusCode());
        assertEquals(400, extraField.statusCode());
        assertTrue(extraField.body().contains("/dryRun"), extraField.body());
    }

    private HttpResponse<String> post(String body) {
        return pipeline.send(HttpRequest.newBuilder(pipeline.api("/onboardings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String status(JsonNode results, int index) {
        return results.get(index).path("status").asText();
    }
}
