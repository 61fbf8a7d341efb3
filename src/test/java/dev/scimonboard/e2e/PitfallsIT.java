package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.RecordedCall;
import dev.scimonboard.devtools.tenant.TenantFaults;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each pitfall of the real services, injected by the emulated tenant, and what the pipeline makes of it. */
class PitfallsIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @AfterEach
    void clearFaults() {
        pipeline.tenant.faults().clear();
        pipeline.tenant.grantedPermissions(dev.scimonboard.devtools.tenant.EmulatedTenant.DEFAULT_PERMISSIONS);
    }

    @Test
    void replicationDelayIsWaitedOutWithDelayedMessages() {
        pipeline.tenant.faults().replicationDelay(Duration.ofSeconds(1), Duration.ofSeconds(3));
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{\"groups\":[\"" + pipeline.newGroup() + "\"]}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(status.path("applicationDisplayName").asText())
            .size());
        assertTrue(outcomes(status, "create-app").contains("waiting"));
    }

    @Test
    void instantiateAnsweringNotFoundWhileCreatingLeavesExactlyOneApplication() {
        pipeline.tenant.faults().replicationDelay(Duration.ofSeconds(1), Duration.ofSeconds(2))
            .instantiateNotFoundNext(1);
        long before = pipeline.tenant.faultStatistics().getOrDefault(TenantFaults.INSTANTIATE_NOT_FOUND, 0L);
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(before + 1, pipeline.tenant.faultStatistics().get(TenantFaults.INSTANTIATE_NOT_FOUND));
        String name = status.path("applicationDisplayName").asText();
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(name).size());
        assertEquals(1, instantiateCalls(name), "instantiate must not be posted again after its 404");
    }

    @Test
    void throttledCallsAreRetriedNoSoonerThanRetryAfter() {
        pipeline.tenant.faults().throttleNext(2, "POST", "/synchronization/jobs$", 1.5);
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        List<RecordedCall> posts = pipeline.tenant.calls("POST", ".*" + status.path("servicePrincipalId").asText()
            + "/synchronization/jobs$");
        assertEquals(List.of(429, 429, 201), posts.stream().map(RecordedCall::status).toList());
        for (int i = 1; i < posts.size(); i++) {
            Duration gap = Duration.between(posts.get(i - 1).time(), posts.get(i).time());
            assertTrue(gap.toMillis() >= 1500, "retried after " + gap + ", before Retry-After");
        }
        assertTrue(outcomes(status, "create-job").contains("retrying"));
    }

    @Test
    void serverErrorsAreRetriedAndUnsavedTokensAreNotLeftLive() {
        pipeline.tenant.faults().failNext(2, "PUT", "/synchronization/secrets$", 503);
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(3, pipeline.tenant.calls("PUT", ".*" + status.path("servicePrincipalId").asText()
            + "/synchronization/secrets$").size());
        assertEquals(3, pipeline.tenant.cloudflareTokens(accountId).size(), "one token minted per attempt");
        assertEquals(1, pipeline.tenant.liveTokens(accountId).size());
    }

    @Test
    void deniedAssignmentPermissionFailsWithThePermissionNamed() {
        pipeline.tenant.revokePermission("AppRoleAssignment.ReadWrite.All");
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{\"groups\":[\"" + pipeline.newGroup() + "\"]}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("assign-access", status.path("error").path("step").asText());
        assertEquals("Authorization_RequestDenied", status.path("error").path("code").asText());
        assertTrue(status.path("error").path("message").asText().contains("AppRoleAssignment.ReadWrite.All"));
    }

    @Test
    void deniedApplicationPermissionFailsAtOnceWithoutRetrying() {
        pipeline.tenant.revokePermission("Application.ReadWrite.OwnedBy");
        pipeline.tenant.revokePermission("Application.ReadWrite.All");
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("create-app", status.path("error").path("step").asText());
        assertTrue(status.path("error").path("message").asText().contains("Application.ReadWrite.OwnedBy"));
        assertTrue(!outcomes(status, "create-app").contains("retrying"), "a denied call is not retried");
    }

    @Test
    void rejectedScimTokenFailsTheOnboardingWithAMessageThatSaysSo() {
        String accountId = pipeline.newAccount();
        pipeline.tenant.faults().rejectScimTokens(accountId);

        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("test-connection", status.path("error").path("step").asText());
        assertEquals("ScimTokenRejected", status.path("error").path("code").asText());
        assertTrue(status.path("error").path("message").asText().contains("SCIM endpoint"));
    }

    @Test
    void cloudflareDenyingTheTokenMintFailsAtOnceAndIsNotTakenForEntraReplication() {
        String accountId = pipeline.newAccount();
        pipeline.tenant.faults().failNext(1, "POST", "/accounts/" + accountId + "/tokens", 403);

        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("save-secrets", status.path("error").path("step").asText());
        assertEquals("CloudflareAccessDenied", status.path("error").path("code").asText());
        assertTrue(!outcomes(status, "save-secrets").contains("retrying"),
            "a Cloudflare 403 right after the application was created is not retried as replication");
    }

    @Test
    void unknownGroupFailsWithItsObjectIdNamed() {
        String missing = java.util.UUID.randomUUID().toString();
        String accountId = pipeline.newAccount();

        pipeline.put(accountId, "{\"groups\":[\"" + missing + "\"]}");
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("PrincipalNotFound", status.path("error").path("code").asText());
        assertTrue(status.path("error").path("message").asText().contains(missing));
    }

    @Test
    void transientErrorsOnEveryKindOfCallStillEndInSuccess() {
        pipeline.tenant.faults().transientErrorRate(0.15, 503, 500, 504)
            .replicationDelay(Duration.ofMillis(500), Duration.ofSeconds(2));
        List<String> accounts = List.of(pipeline.newAccount(), pipeline.newAccount(), pipeline.newAccount());

        accounts.forEach(a -> pipeline.put(a, "{\"users\":[\"" + pipeline.newUser() + "\"]}"));

        for (String accountId : accounts) {
            JsonNode status = pipeline.awaitEnded(accountId);
            assertEquals("succeeded", status.path("state").asText(), status.toString());
            assertEquals(1, pipeline.tenant.applicationsByDisplayName(status.path("applicationDisplayName").asText())
                .size());
            assertEquals(1, pipeline.tenant.liveTokens(accountId).size());
        }
    }

    private long instantiateCalls(String displayName) {
        return pipeline.tenant.calls("POST", "/instantiate$").stream()
            .filter(c -> c.requestBody() != null && c.requestBody().contains(displayName.substring(0,
                displayName.indexOf('(')).trim()) && c.requestBody().contains(displayName.substring(
                    displayName.indexOf('(') + 1, displayName.indexOf(')'))))
            .count();
    }

    static List<String> outcomes(JsonNode status, String step) {
        return StreamSupport.stream(status.path("history").spliterator(), false)
            .filter(h -> step.equals(h.path("step").asText()))
            .map(h -> h.path("outcome").asText()).toList();
    }
}
