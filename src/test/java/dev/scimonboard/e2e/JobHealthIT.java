package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.host.LocalHostProcess;
import dev.scimonboard.devtools.tenant.CloudflareTokenSnapshot;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The health check, run by a second host every two seconds: it records each succeeded onboarding's job status, lists
 * the quarantined ones, and repairs a quarantine caused by a refused minted token.
 */
class JobHealthIT {
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(90);
    private static LocalHostProcess checkingHost;

    private final TestPipeline pipeline = TestPipeline.shared();

    @BeforeAll
    static void startCheckingHost() {
        checkingHost = TestPipeline.shared().startExtraHost(Map.of(
            "HEALTH_CHECK_SCHEDULE", "*/2 * * * * *",
            "HEALTH_CHECK_READS_PER_SECOND", "20"));
    }

    @AfterAll
    static void stopCheckingHost() {
        if (checkingHost != null) {
            checkingHost.close();
        }
    }

    @Test
    void aQuarantinedJobIsRecordedAndListedWhileAHealthyOneShowsItsLastCycle() {
        String healthy = pipeline.newAccount();
        String troubled = pipeline.newAccount();
        onboard(healthy, "{\"groups\":[\"" + pipeline.newGroup() + "\"]}");
        JsonNode onboarded = onboard(troubled, "{}");
        pipeline.tenant.quarantineJob(onboarded.path("jobId").asText(),
            "SystemForCrossDomainIdentityManagementServiceIncompatible", "The SCIM endpoint answered 500.");

        JsonNode quarantined = awaitHealth(troubled, "quarantined");
        JsonNode reported = awaitHealth(healthy, "healthy");

        JsonNode quarantine = quarantined.path("health").path("quarantine");
        assertEquals("Quarantine", quarantined.path("health").path("statusCode").asText());
        assertEquals("EncounteredQuarantineException", quarantine.path("reason").asText());
        assertEquals("SystemForCrossDomainIdentityManagementServiceIncompatible", quarantine.path("errorCode")
            .asText());
        assertFalse(quarantine.path("since").asText().isEmpty());
        assertEquals("Failed", quarantined.path("health").path("lastExecution").path("state").asText());
        assertEquals(onboarded.path("cloudflareTokenId").asText(), quarantined.path("cloudflareTokenId").asText(),
            "a quarantine whose token still works is reported, not repaired");
        JsonNode last = reported.path("health").path("lastExecution");
        assertEquals("Succeeded", last.path("state").asText(), reported.toString());
        assertEquals(1, last.path("countEntitled").asInt());

        Set<String> listed = listedQuarantined();
        assertTrue(listed.contains(troubled), "the quarantined account is listed");
        assertFalse(listed.contains(healthy), "the healthy account is not");
        pipeline.checkAgainstOpenApi("/onboardings?health=quarantined&top=5");
        pipeline.checkAgainstOpenApi("/onboardings/" + troubled);
    }

    @Test
    void aQuarantineFromARefusedMintedTokenIsRepairedWithANewToken() {
        String account = pipeline.newAccount();
        JsonNode onboarded = onboard(account, "{}");
        String oldToken = onboarded.path("cloudflareTokenId").asText();
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        pipeline.tenant.deleteCloudflareTokenByHand(oldToken);
        pipeline.tenant.quarantineJob(onboarded.path("jobId").asText(),
            "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable", "The token was refused.");

        JsonNode[] last = new JsonNode[1];
        pipeline.await("the repair of " + account, HEALTH_TIMEOUT, () -> {
            last[0] = pipeline.status(account);
            return "succeeded".equals(last[0].path("state").asText())
                && !oldToken.equals(last[0].path("cloudflareTokenId").asText());
        });

        String newToken = last[0].path("cloudflareTokenId").asText();
        assertNotEquals(oldToken, newToken);
        assertEquals(List.of(newToken), pipeline.tenant.liveTokens(account).stream()
            .map(CloudflareTokenSnapshot::id).toList());
        assertTrue(pipeline.tenant.savedSecretTokenWorks(servicePrincipal, account));
        assertEquals("Active", pipeline.tenant.jobs(servicePrincipal).get(0).statusCode(), "started again");
        awaitHealth(account, "healthy");
    }

    private JsonNode onboard(String account, String body) {
        assertEquals(202, pipeline.put(account, body).statusCode());
        JsonNode status = pipeline.awaitEnded(account);
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        return status;
    }

    private JsonNode awaitHealth(String account, String state) {
        JsonNode[] last = new JsonNode[1];
        pipeline.await("the health of " + account + " to read " + state, HEALTH_TIMEOUT, () -> {
            last[0] = pipeline.status(account);
            return state.equals(last[0].path("health").path("state").asText());
        });
        return last[0];
    }

    /** Every account listed by GET /onboardings?health=quarantined, following nextLink. */
    private Set<String> listedQuarantined() {
        Set<String> accounts = new HashSet<>();
        String next = "/onboardings?health=quarantined&top=100";
        while (next != null) {
            JsonNode page = TestPipeline.read(pipeline.get(next).body());
            for (JsonNode item : page.path("value")) {
                assertEquals("quarantined", item.path("health").path("state").asText());
                accounts.add(item.path("accountId").asText());
            }
            next = page.path("nextLink").isNull() ? null : page.path("nextLink").asText().replaceFirst("^/api", "");
        }
        return accounts;
    }
}
