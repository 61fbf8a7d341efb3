package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.ApplicationSnapshot;
import dev.scimonboard.devtools.tenant.AssignmentSnapshot;
import dev.scimonboard.devtools.tenant.CloudflareTokenSnapshot;
import dev.scimonboard.devtools.tenant.JobSnapshot;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OnboardingHappyPathIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void severalAccountsWithGroupsAndUsersAreEachProvisionedOnce() {
        record Request(String accountId, List<String> groups, List<String> users) {
        }
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(new Request(pipeline.newAccount(), List.of(pipeline.newGroup(), pipeline.newGroup()),
                List.of(pipeline.newUser())));
        }

        for (Request r : requests) {
            HttpResponse<String> accepted = pipeline.put(r.accountId(), "{\"displayName\":\"Team " + r.accountId()
                .substring(0, 4) + "\",\"groups\":" + json(r.groups()) + ",\"users\":" + json(r.users())
                + ",\"reference\":\"CHG-" + r.accountId().substring(0, 4) + "\"}");
            assertEquals(202, accepted.statusCode(), accepted.body());
        }

        for (Request r : requests) {
            JsonNode status = pipeline.awaitEnded(r.accountId());
            assertEquals("succeeded", status.path("state").asText(), status.toString());

            String name = status.path("applicationDisplayName").asText();
            List<ApplicationSnapshot> apps = pipeline.tenant.applicationsByDisplayName(name);
            assertEquals(1, apps.size(), "applications named " + name);
            String servicePrincipalId = apps.get(0).servicePrincipalId();
            assertEquals(servicePrincipalId, status.path("servicePrincipalId").asText());
            assertEquals(apps.get(0).id(), status.path("applicationId").asText());

            List<JobSnapshot> jobs = pipeline.tenant.jobs(servicePrincipalId);
            assertEquals(1, jobs.size());
            assertEquals(jobs.get(0).id(), status.path("jobId").asText());
            assertEquals("Active", jobs.get(0).statusCode());
            assertEquals("Active", status.path("jobStatus").asText());

            assertEquals(Set.of("BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings"),
                pipeline.tenant.savedSecretKeys(servicePrincipalId));
            assertEquals(pipeline.tenant.scimBaseAddress(r.accountId()),
                pipeline.tenant.savedBaseAddress(servicePrincipalId));
            assertTrue(pipeline.tenant.savedSecretTokenWorks(servicePrincipalId, r.accountId()));

            List<CloudflareTokenSnapshot> live = pipeline.tenant.liveTokens(r.accountId());
            assertEquals(1, live.size());
            assertEquals(live.get(0).id(), status.path("cloudflareTokenId").asText());

            Set<String> assigned = pipeline.tenant.assignments(servicePrincipalId).stream()
                .map(AssignmentSnapshot::principalId).collect(Collectors.toSet());
            Set<String> wanted = new java.util.HashSet<>(r.groups());
            wanted.addAll(r.users());
            assertEquals(wanted, assigned);

            List<String> completed = StreamSupport.stream(status.path("history").spliterator(), false)
                .filter(h -> "completed".equals(h.path("outcome").asText()))
                .map(h -> h.path("step").asText()).toList();
            assertEquals(List.of("create-app", "create-job", "save-secrets", "test-connection", "assign-access",
                "start-provisioning"), completed);
            assertEquals("CHG-" + r.accountId().substring(0, 4), status.path("reference").asText());
            assertTrue(status.path("error").isNull());
            assertNotNull(status.path("correlationId").asText(null));
        }
    }

    @Test
    void putAnswersAcceptedWithLocationRetryAfterAndTheStatusDocument() {
        String accountId = pipeline.newAccount();

        HttpResponse<String> response = pipeline.put(accountId, "{}");

        assertEquals(202, response.statusCode());
        assertEquals("/api/onboardings/" + accountId, response.headers().firstValue("Location").orElseThrow());
        assertTrue(Integer.parseInt(response.headers().firstValue("Retry-After").orElseThrow()) > 0);
        JsonNode body = TestPipeline.read(response.body());
        assertEquals(accountId, body.path("accountId").asText());
        assertEquals("queued", body.path("state").asText());
        assertEquals("create-app", body.path("step").asText());
        for (String field : List.of("applicationId", "servicePrincipalId", "jobId", "desired", "history", "error",
            "reference", "correlationId", "createdAt", "updatedAt")) {
            assertTrue(body.has(field), "status document lacks " + field);
        }
        assertEquals("succeeded", pipeline.awaitEnded(accountId).path("state").asText());
    }

    @Test
    void startProvisioningFalseLeavesTheJobStopped() {
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{\"startProvisioning\":false}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText());
        JobSnapshot job = pipeline.tenant.jobs(status.path("servicePrincipalId").asText()).get(0);
        assertEquals("Disabled", job.scheduleState());
    }

    @Test
    void unknownAccountAnswersNotFoundAsAProblem() {
        HttpResponse<String> response = pipeline.get("/onboardings/" + "f".repeat(32));

        assertEquals(404, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(TestPipeline.read(response.body()).path("detail").asText().contains("PUT"));
    }

    @Test
    void listFiltersByStateAndPagesWithANextLink() {
        String first = pipeline.newAccount();
        String second = pipeline.newAccount();
        pipeline.put(first, "{}");
        pipeline.put(second, "{}");
        pipeline.awaitEnded(first);
        pipeline.awaitEnded(second);

        List<String> seen = new ArrayList<>();
        String next = "/onboardings?state=succeeded&top=1";
        int pages = 0;
        while (next != null && pages < 500) {
            HttpResponse<String> page = pipeline.get(next);
            assertEquals(200, page.statusCode(), page.body());
            JsonNode body = TestPipeline.read(page.body());
            assertTrue(body.path("value").size() <= 1);
            body.path("value").forEach(doc -> {
                assertEquals("succeeded", doc.path("state").asText());
                seen.add(doc.path("accountId").asText());
            });
            next = body.path("nextLink").isNull() ? null : body.path("nextLink").asText().replaceFirst("^/api", "");
            pages++;
        }

        assertTrue(seen.contains(first) && seen.contains(second), "pages held " + seen);
        assertEquals(seen.size(), Set.copyOf(seen).size(), "an account appeared on two pages");
    }

    static String json(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
