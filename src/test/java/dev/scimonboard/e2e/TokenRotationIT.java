package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.host.LocalHostProcess;
import dev.scimonboard.devtools.tenant.CloudflareTokenSnapshot;
import dev.scimonboard.devtools.tenant.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotation of minted SCIM tokens, run by a second host whose rotation timer fires every two seconds with a maximum
 * age of one day. A token is made due by moving its recorded minting time two days back, as time would.
 */
class TokenRotationIT {
    private static final Duration ROTATION_TIMEOUT = Duration.ofSeconds(60);
    private static LocalHostProcess rotatingHost;

    private final TestPipeline pipeline = TestPipeline.shared();

    @BeforeAll
    static void startRotatingHost() {
        rotatingHost = TestPipeline.shared().startExtraHost(Map.of(
            "TOKEN_ROTATION_MAX_AGE_DAYS", "1",
            "TOKEN_ROTATION_SCHEDULE", "*/2 * * * * *"));
    }

    @AfterAll
    static void stopRotatingHost() {
        if (rotatingHost != null) {
            rotatingHost.close();
        }
    }

    @Test
    void aDueTokenIsReplacedOnlyAfterEntraAcceptedTheNewOneAndTheOldOneIsThenDeleted() {
        JsonNode onboarded = onboard();
        String account = onboarded.path("accountId").asText();
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        String oldToken = onboarded.path("cloudflareTokenId").asText();

        makeDue(account);
        JsonNode status = awaitRotation(account);

        assertEquals("succeeded", status.path("tokenRotation").path("state").asText(), status.toString());
        String newToken = status.path("cloudflareTokenId").asText();
        assertNotEquals(oldToken, newToken);
        assertEquals(newToken, status.path("tokenRotation").path("tokenId").asText());
        assertEquals("succeeded", status.path("state").asText(), "the onboarding itself stays succeeded");
        assertTrue(Instant.parse(status.path("tokenMintedAt").asText()).isAfter(Instant.now().minusSeconds(120)));
        assertEquals(newToken, pipeline.tenant.savedSecretTokenId(servicePrincipal));
        assertTrue(pipeline.tenant.savedSecretTokenWorks(servicePrincipal, account));
        pipeline.await("the old token to be deleted", ROTATION_TIMEOUT,
            () -> pipeline.tenant.liveTokens(account).stream().map(CloudflareTokenSnapshot::id).toList()
                .equals(List.of(newToken)));

        // Entra tested the new token before it was saved, and the old one went only after that.
        List<RecordedCall> calls = pipeline.tenant.calls(null, null);
        int validated = lastIndex(calls, "POST", "/servicePrincipals/" + servicePrincipal
            + "/synchronization/jobs/[^/]+/validateCredentials");
        int saved = lastIndex(calls, "PUT", "/servicePrincipals/" + servicePrincipal + "/synchronization/secrets");
        int deleted = lastIndex(calls, "DELETE", "/accounts/" + account + "/tokens/" + oldToken);
        assertTrue(validated >= 0 && validated < saved && saved < deleted,
            "validate " + validated + ", save " + saved + ", delete " + deleted);
        pipeline.checkAgainstOpenApi("/onboardings/" + account);
    }

    @Test
    void aNewTokenThatEntraRejectsLeavesTheOldOneSavedAndWorkingAndTheFailureOnTheStatus() {
        JsonNode onboarded = onboard();
        String account = onboarded.path("accountId").asText();
        String servicePrincipal = onboarded.path("servicePrincipalId").asText();
        String oldToken = onboarded.path("cloudflareTokenId").asText();
        pipeline.tenant.rejectNewScimTokens(account);
        try {
            makeDue(account);
            JsonNode status = awaitRotation(account);

            JsonNode rotation = status.path("tokenRotation");
            assertEquals("failed", rotation.path("state").asText(), status.toString());
            assertEquals("ScimTokenRejected", rotation.path("code").asText());
            assertTrue(rotation.path("message").asText().contains(oldToken), rotation.toString());
            assertEquals(oldToken, status.path("cloudflareTokenId").asText());
            assertEquals("succeeded", status.path("state").asText());
            assertTrue(StreamSupport.stream(status.path("history").spliterator(), false).anyMatch(h ->
                "rotate-token".equals(h.path("step").asText()) && "failed".equals(h.path("outcome").asText())));

            assertEquals(oldToken, pipeline.tenant.savedSecretTokenId(servicePrincipal));
            assertTrue(pipeline.tenant.savedSecretTokenWorks(servicePrincipal, account), "the old token still works");
            assertEquals(List.of(oldToken), pipeline.tenant.liveTokens(account).stream()
                .map(CloudflareTokenSnapshot::id).toList(), "the rejected new token was deleted");
            assertTrue(pipeline.tenant.calls("PUT", "/servicePrincipals/" + servicePrincipal
                + "/synchronization/secrets").size() == 1, "the rejected token was never saved");
            pipeline.checkAgainstOpenApi("/onboardings/" + account);
        } finally {
            pipeline.tenant.faults().acceptScimTokens(account);
        }
    }

    private JsonNode onboard() {
        String account = pipeline.newAccount();
        assertEquals(202, pipeline.put(account, "{}").statusCode());
        JsonNode status = pipeline.awaitEnded(account);
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals("minted", status.path("tokenSource").asText());
        return status;
    }

    /** Moves the token's recorded minting time two days back, past the one-day maximum age. */
    private void makeDue(String account) {
        TableEntity aged = new TableEntity(account, "onboarding")
            .addProperty("tokenMintedAt", Instant.now().minus(Duration.ofDays(2)).toString());
        pipeline.statusTable().updateEntity(aged, TableEntityUpdateMode.MERGE);
    }

    private JsonNode awaitRotation(String account) {
        JsonNode[] last = new JsonNode[1];
        pipeline.await("the token rotation of " + account, ROTATION_TIMEOUT, () -> {
            last[0] = pipeline.status(account);
            return !last[0].path("tokenRotation").isNull() && !last[0].path("tokenRotation").isMissingNode();
        });
        return last[0];
    }

    private static int lastIndex(List<RecordedCall> calls, String method, String pathRegex) {
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(pathRegex);
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).method().equals(method) && path.matcher(calls.get(i).pathAndQuery()).find()) {
                return i;
            }
        }
        return -1;
    }
}
