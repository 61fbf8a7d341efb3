package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.AssignmentSnapshot;
import dev.scimonboard.devtools.tenant.JobSnapshot;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A PUT on a succeeded onboarding checks every piece and repairs what was broken behind the app's back. */
class DriftRepairIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void aPutRepairsADeletedJobClearedSecretsAndAMissingAssignment() {
        String account = pipeline.newAccount();
        String first = pipeline.newGroup();
        String second = pipeline.newGroup();
        String body = "{\"groups\":[\"" + first + "\",\"" + second + "\"]}";
        JsonNode onboarded = onboard(account, body);
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        String oldJob = onboarded.path("jobId").asText();

        pipeline.tenant.deleteJobByHand(oldJob);
        pipeline.tenant.clearSecretsByHand(servicePrincipal);
        pipeline.tenant.removeAssignmentByHand(servicePrincipal, second);
        JsonNode repaired = onboard(account, body);

        assertEquals(servicePrincipal, repaired.path("servicePrincipalId").asText(), "the application is kept");
        List<JobSnapshot> jobs = pipeline.tenant.jobs(servicePrincipal);
        assertEquals(1, jobs.size());
        assertNotEquals(oldJob, jobs.get(0).id());
        assertEquals("Active", jobs.get(0).statusCode());
        assertTrue(pipeline.tenant.savedSecretTokenWorks(servicePrincipal, account), "secrets saved again");
        assertEquals(Set.of(first, second), principals(servicePrincipal));
        assertEquals(1, pipeline.tenant.liveTokens(account).size(), "the refused token was replaced, not kept");
    }

    @Test
    void aPutOverAHealthyOnboardingKeepsItsWorkingTokenAndRestartsAPausedJob() {
        String account = pipeline.newAccount();
        JsonNode onboarded = onboard(account, "{}");
        String token = onboarded.path("cloudflareTokenId").asText();
        pipeline.tenant.pauseJobByHand(onboarded.path("jobId").asText());

        JsonNode repaired = onboard(account, "{}");

        assertEquals(token, repaired.path("cloudflareTokenId").asText(), "no new token for a working one");
        assertEquals(List.of(token), pipeline.tenant.liveTokens(account).stream().map(t -> t.id()).toList());
        assertEquals("Active", pipeline.tenant.jobs(onboarded.path("servicePrincipalId").asText()).get(0)
            .statusCode());
    }

    @Test
    void assignmentsNotAskedForAreRemovedOnlyWhenTheRequestSaysPrune() {
        String account = pipeline.newAccount();
        String wanted = pipeline.newGroup();
        String extra = pipeline.newGroup();
        JsonNode onboarded = onboard(account, "{\"groups\":[\"" + wanted + "\"]}");
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        pipeline.tenant.addAssignmentByHand(servicePrincipal, extra);

        onboard(account, "{\"groups\":[\"" + wanted + "\"]}");
        assertEquals(Set.of(wanted, extra), principals(servicePrincipal), "kept without prune");

        JsonNode pruned = onboard(account, "{\"groups\":[\"" + wanted + "\"],\"prune\":true}");
        assertEquals(Set.of(wanted), principals(servicePrincipal), "removed with prune");
        assertTrue(pruned.path("desired").path("prune").asBoolean());
        pipeline.checkAgainstOpenApi("/onboardings/" + account);
    }

    private JsonNode onboard(String account, String body) {
        int runs = pipeline.get("/onboardings/" + account).statusCode() == 200
            ? countAccepted(pipeline.status(account)) : 0;
        assertEquals(202, pipeline.put(account, body).statusCode());
        pipeline.await("run " + (runs + 1) + " of " + account + " to end", TestPipeline.ONBOARDING_TIMEOUT, () -> {
            JsonNode status = pipeline.status(account);
            String state = status.path("state").asText();
            return countAccepted(status) > runs && ("succeeded".equals(state) || "failed".equals(state));
        });
        JsonNode status = pipeline.status(account);
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        return status;
    }

    private static int countAccepted(JsonNode status) {
        int count = 0;
        for (JsonNode entry : status.path("history")) {
            if ("request".equals(entry.path("step").asText())) {
                count++;
            }
        }
        return count;
    }

    private Set<String> principals(String servicePrincipal) {
        return pipeline.tenant.assignments(servicePrincipal).stream().map(AssignmentSnapshot::principalId)
            .collect(Collectors.toSet());
    }
}
