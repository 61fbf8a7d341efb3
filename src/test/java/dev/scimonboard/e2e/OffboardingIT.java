package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.RecordedCall;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DELETE of an onboarding: the job, the application and the minted tokens go, and a later PUT starts afresh. */
class OffboardingIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @AfterEach
    void clearFaults() {
        pipeline.tenant.faults().clear();
    }

    @Test
    void offboardingRemovesTheJobTheApplicationAndTheMintedTokensAndRepeatingItChangesNothing() {
        String account = pipeline.newAccount();
        JsonNode onboarded = onboard(account, "{\"groups\":[\"" + pipeline.newGroup() + "\"]}");
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        String application = onboarded.path("applicationId").asText();
        String name = onboarded.path("applicationDisplayName").asText();

        HttpResponse<String> accepted = pipeline.delete("/onboardings/" + account);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("/api/onboardings/" + account, accepted.headers().firstValue("Location").orElse(""));
        assertEquals("deleting", TestPipeline.read(accepted.body()).path("state").asText());
        pipeline.checkAgainstOpenApi("DELETE", "/onboardings/" + account, accepted);
        JsonNode deleted = pipeline.awaitState(account, "deleted");

        assertTrue(pipeline.tenant.applicationsByDisplayName(name).isEmpty(), "no application named " + name);
        assertTrue(pipeline.tenant.applicationRestorable(application), "the application is in the deleted items");
        assertFalse(pipeline.tenant.servicePrincipalExists(servicePrincipal));
        assertTrue(pipeline.tenant.jobs(servicePrincipal).isEmpty());
        assertTrue(pipeline.tenant.liveTokens(account).isEmpty(), "no live token: " + pipeline.tenant
            .liveTokens(account));
        for (String field : List.of("applicationId", "appId", "servicePrincipalId", "jobId", "cloudflareTokenId")) {
            assertTrue(deleted.path(field).isNull(), field + " is cleared: " + deleted);
        }
        assertEquals(List.of("remove-job", "remove-app", "remove-tokens"), completedSteps(deleted).stream()
            .filter(step -> step.startsWith("remove-")).toList());

        Instant before = Instant.now();
        HttpResponse<String> again = pipeline.delete("/onboardings/" + account);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("deleted", TestPipeline.read(again.body()).path("state").asText());
        pipeline.checkAgainstOpenApi("DELETE", "/onboardings/" + account, again);
        assertEquals(deleted.path("history").size(), pipeline.status(account).path("history").size(),
            "nothing new was started");
        assertTrue(callsAbout(account, servicePrincipal, before).isEmpty(), "nothing was called again");
        pipeline.checkAgainstOpenApi("/onboardings/" + account);
    }

    @Test
    void aPutAfterOffboardingOnboardsAfreshWithNewObjects() {
        String account = pipeline.newAccount();
        JsonNode first = onboard(account, "{}");
        assertEquals(202, pipeline.delete("/onboardings/" + account).statusCode());
        pipeline.awaitState(account, "deleted");

        JsonNode second = onboard(account, "{}");

        assertNotEquals(first.path("servicePrincipalId").asText(), second.path("servicePrincipalId").asText());
        assertNotEquals(first.path("applicationId").asText(), second.path("applicationId").asText());
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(second.path("applicationDisplayName").asText())
            .size());
        assertEquals(1, pipeline.tenant.liveTokens(account).size());
        assertTrue(pipeline.tenant.savedSecretTokenWorks(second.path("servicePrincipalId").asText(), account));
    }

    @Test
    void aDeleteWhileTheOnboardingStillRunsLeavesNothingBehind() {
        pipeline.tenant.faults().replicationDelay(Duration.ofSeconds(2), Duration.ofSeconds(4));
        String account = pipeline.newAccount();
        assertEquals(202, pipeline.put(account, "{}").statusCode());
        pipeline.await("the application to be asked for", TestPipeline.ONBOARDING_TIMEOUT,
            () -> !pipeline.tenant.calls("POST", "/instantiate").stream()
                .filter(call -> call.requestBody() != null && call.requestBody().contains(account)).toList()
                .isEmpty());

        assertEquals(202, pipeline.delete("/onboardings/" + account).statusCode());
        JsonNode deleted = pipeline.awaitState(account, "deleted");

        String name = deleted.path("applicationDisplayName").asText();
        pipeline.await("the application to be gone", TestPipeline.ONBOARDING_TIMEOUT,
            () -> pipeline.tenant.applicationsByDisplayName(name).isEmpty());
        assertTrue(pipeline.tenant.liveTokens(account).isEmpty());
        assertEquals("deleted", pipeline.status(account).path("state").asText(), "the replaced run did not resume");
    }

    @Test
    void deletingAnAccountThatWasNeverOnboardedAnswers404() {
        HttpResponse<String> response = pipeline.delete("/onboardings/" + pipeline.newAccount());

        assertEquals(404, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("")
            .split(";")[0]);
    }

    private JsonNode onboard(String account, String body) {
        assertEquals(202, pipeline.put(account, body).statusCode());
        JsonNode status = pipeline.awaitEnded(account);
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        return status;
    }

    private List<RecordedCall> callsAbout(String account, String servicePrincipal, Instant since) {
        return pipeline.tenant.calls(null, null).stream()
            .filter(call -> !call.time().isBefore(since))
            .filter(call -> call.pathAndQuery().contains(account) || call.pathAndQuery().contains(servicePrincipal))
            .toList();
    }

    private static List<String> completedSteps(JsonNode status) {
        return StreamSupport.stream(status.path("history").spliterator(), false)
            .filter(entry -> "completed".equals(entry.path("outcome").asText()))
            .map(entry -> entry.path("step").asText()).toList();
    }
}
