package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.RecordedCall;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** {@code ?dryRun=true}: what a PUT or DELETE would change, read from Entra and Cloudflare, with nothing written. */
class DryRunIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void aDryRunPutOfANewAccountListsEveryCreationAndWritesNothing() {
        String account = pipeline.newAccount();
        String group = pipeline.newGroup();
        Instant before = Instant.now();

        HttpResponse<String> plan = dryRunPut(account, "{\"groups\":[\"" + group + "\"]}");

        assertEquals(200, plan.statusCode(), plan.body());
        pipeline.checkAgainstOpenApi("PUT", "/onboardings/" + account + "?dryRun=true", plan);
        List<String> changes = changes(TestPipeline.read(plan.body()));
        assertTrue(changes.contains("graph create application 'Cloudflare SCIM (" + account + ")'"), changes
            .toString());
        assertTrue(changes.contains("graph create synchronization job"), changes.toString());
        assertTrue(changes.contains("cloudflare create SCIM token"), changes.toString());
        assertTrue(changes.contains("graph update synchronization secrets"), changes.toString());
        assertTrue(changes.contains("graph create app role assignment of " + group), changes.toString());
        assertTrue(changes.contains("graph start synchronization job"), changes.toString());
        assertEquals(404, pipeline.get("/onboardings/" + account).statusCode(), "nothing was recorded");
        assertTrue(writesAbout(account, before).isEmpty(), "nothing was written: " + writesAbout(account, before));
    }

    @Test
    void aDryRunPutOfASucceededOnboardingListsOnlyWhatIsMissing() {
        String account = pipeline.newAccount();
        String kept = pipeline.newGroup();
        String added = pipeline.newGroup();
        assertEquals(202, pipeline.put(account, "{\"groups\":[\"" + kept + "\"]}").statusCode());
        JsonNode onboarded = pipeline.awaitEnded(account);
        Instant before = Instant.now();

        HttpResponse<String> plan = dryRunPut(account, "{\"groups\":[\"" + kept + "\",\"" + added + "\"]}");

        assertEquals(200, plan.statusCode(), plan.body());
        List<String> changes = changes(TestPipeline.read(plan.body()));
        assertTrue(changes.contains("graph create app role assignment of " + added), changes.toString());
        assertTrue(changes.stream().noneMatch(c -> c.contains(kept)), "the kept group is assigned: " + changes);
        assertTrue(changes.stream().noneMatch(c -> c.startsWith("cloudflare") || c.contains("secrets")),
            "the saved token still works, so no token change is planned: " + changes);
        assertTrue(changes.stream().noneMatch(c -> c.startsWith("graph create application")
            || c.equals("graph create synchronization job") || c.equals("graph start synchronization job")),
            changes.toString());
        assertEquals("succeeded", TestPipeline.read(plan.body()).path("onboarding").path("state").asText());
        assertEquals(onboarded.path("history").size(), pipeline.status(account).path("history").size(),
            "no run was started");
        assertTrue(writesAbout(account, before).isEmpty(), "nothing was written: " + writesAbout(account, before));
    }

    @Test
    void aDryRunDeleteListsWhatWouldBeRemovedAndRemovesNothing() {
        String account = pipeline.newAccount();
        assertEquals(202, pipeline.put(account, "{}").statusCode());
        JsonNode onboarded = pipeline.awaitEnded(account);
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        Instant before = Instant.now();

        HttpResponse<String> plan = pipeline.delete("/onboardings/" + account + "?dryRun=true");

        assertEquals(200, plan.statusCode(), plan.body());
        pipeline.checkAgainstOpenApi("DELETE", "/onboardings/" + account + "?dryRun=true", plan);
        List<String> changes = changes(TestPipeline.read(plan.body()));
        String job = onboarded.path("jobId").asText();
        assertEquals(List.of("graph pause synchronization job " + job, "graph delete synchronization job " + job,
            "graph delete service principal " + servicePrincipal,
            "graph delete application " + onboarded.path("applicationId").asText(),
            "cloudflare delete token " + onboarded.path("cloudflareTokenId").asText()), changes);
        assertEquals("succeeded", pipeline.status(account).path("state").asText());
        assertTrue(pipeline.tenant.servicePrincipalExists(servicePrincipal));
        assertTrue(writesAbout(account, before).isEmpty(), "nothing was written");
        assertTrue(pipeline.tenant.calls(null, servicePrincipal).stream().filter(c -> !c.time().isBefore(before))
            .allMatch(c -> "GET".equals(c.method())), "only reads of the service principal");
    }

    @Test
    void aDryRunValueOtherThanTrueOrFalseIsRefused() {
        String account = pipeline.newAccount();

        HttpResponse<String> response = pipeline.send(HttpRequest.newBuilder(
            pipeline.api("/onboardings/" + account + "?dryRun=yes")).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{}")));

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("dryRun", TestPipeline.read(response.body()).path("errors").path(0).path("pointer").asText());
        assertEquals(404, pipeline.get("/onboardings/" + account).statusCode());
    }

    private HttpResponse<String> dryRunPut(String account, String body) {
        return pipeline.send(HttpRequest.newBuilder(pipeline.api("/onboardings/" + account + "?dryRun=true"))
            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Each change as "service action target". */
    private static List<String> changes(JsonNode plan) {
        assertTrue(plan.path("dryRun").asBoolean(), plan.toString());
        return StreamSupport.stream(plan.path("changes").spliterator(), false)
            .map(c -> c.path("service").asText() + " " + c.path("action").asText() + " " + c.path("target")
                .asText()).toList();
    }

    /** Calls other than reads, since a moment, that name the account in their path or body. */
    private List<RecordedCall> writesAbout(String account, Instant since) {
        return pipeline.tenant.calls(null, null).stream()
            .filter(call -> !call.time().isBefore(since) && !"GET".equals(call.method()))
            .filter(call -> call.pathAndQuery().contains(account)
                || (call.requestBody() != null && call.requestBody().contains(account)))
            .toList();
    }
}
