package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.CloudflareTokenSnapshot;
import dev.scimonboard.devtools.tenant.RecordedCall;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Requests that name a Key Vault secret as the account's SCIM token, read by the functions over https. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyVaultTokensIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    @Order(1)
    void theTokenInTheNamedSecretIsSavedAfterTheVaultsChallengeAndNoTokenIsMinted() {
        String account = pipeline.newAccount();
        String secretName = "cf-scim-" + account.substring(0, 8);
        String token = pipeline.tenant.createScimTokenByHand(account, "SCIM token made in the dashboard");
        String version = pipeline.tenant.setKeyVaultSecret(secretName, token);

        HttpResponse<String> accepted = pipeline.put(account, body(pipeline.tenant.keyVaultSecretId(secretName)));
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode status = pipeline.awaitEnded(account);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals("keyVault", status.path("tokenSource").asText());
        assertEquals(version, status.path("keyVaultSecretVersion").asText());
        assertTrue(status.path("cloudflareTokenId").isNull());
        assertEquals(pipeline.tenant.keyVaultSecretId(secretName), status.path("desired").path("scimTokenSecret")
            .asText());
        String servicePrincipal = status.path("servicePrincipalId").asText();
        assertTrue(pipeline.tenant.savedSecretTokenWorks(servicePrincipal, account));
        List<CloudflareTokenSnapshot> live = pipeline.tenant.liveTokens(account);
        assertEquals(1, live.size(), "only the token made by hand: " + live);
        assertEquals(live.get(0).id(), pipeline.tenant.savedSecretTokenId(servicePrincipal));

        // The host's first read of the vault goes without a token, gets the challenge, then reads with one.
        List<Integer> reads = pipeline.tenant.calls("GET", "/secrets/").stream().filter(c -> "keyvault".equals(
            c.service())).map(RecordedCall::status).toList();
        assertTrue(reads.size() >= 2 && reads.get(0) == 401 && reads.contains(200), "Key Vault answers: " + reads);
        pipeline.checkAgainstOpenApi("/onboardings/" + account);
    }

    @Test
    void aMissingSecretFailsTheOnboardingNamingTheSecretToStore() {
        String account = pipeline.newAccount();
        String secret = pipeline.tenant.keyVaultSecretId("missing-" + account.substring(0, 8));

        assertEquals(202, pipeline.put(account, body(secret)).statusCode());
        JsonNode status = pipeline.awaitEnded(account);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("KeyVaultSecretNotFound", status.path("error").path("code").asText());
        assertTrue(status.path("error").path("message").asText().contains(secret), status.toString());
        assertTrue(pipeline.tenant.liveTokens(account).isEmpty(), "no token was minted instead");
    }

    @Test
    void anIdentityWithoutAccessToTheVaultFailsNamingTheRoleToGrant() {
        String account = pipeline.newAccount();
        String secretName = "cf-scim-" + account.substring(0, 8);
        pipeline.tenant.setKeyVaultSecret(secretName, pipeline.tenant.createScimTokenByHand(account, "by hand"));
        pipeline.tenant.keyVaultAccess(false);
        try {
            assertEquals(202, pipeline.put(account, body(pipeline.tenant.keyVaultSecretId(secretName))).statusCode());
            JsonNode status = pipeline.awaitEnded(account);

            assertEquals("failed", status.path("state").asText(), status.toString());
            assertEquals("KeyVaultAccessDenied", status.path("error").path("code").asText());
            assertTrue(status.path("error").path("message").asText().contains("Key Vault Secrets User"),
                status.toString());
        } finally {
            pipeline.tenant.keyVaultAccess(true);
        }
    }

    @Test
    void aDisabledSecretFailsSayingToEnableIt() {
        String account = pipeline.newAccount();
        String secretName = "cf-scim-" + account.substring(0, 8);
        pipeline.tenant.setKeyVaultSecret(secretName, pipeline.tenant.createScimTokenByHand(account, "by hand"));
        pipeline.tenant.disableKeyVaultSecret(secretName);

        assertEquals(202, pipeline.put(account, body(pipeline.tenant.keyVaultSecretId(secretName))).statusCode());
        JsonNode status = pipeline.awaitEnded(account);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("KeyVaultSecretDisabled", status.path("error").path("code").asText());
    }

    @Test
    void aThrottledVaultIsReadAgainAfterItsRetryAfter() {
        String account = pipeline.newAccount();
        String secretName = "cf-scim-" + account.substring(0, 8);
        pipeline.tenant.setKeyVaultSecret(secretName, pipeline.tenant.createScimTokenByHand(account, "by hand"));
        pipeline.tenant.throttleKeyVault(2);

        assertEquals(202, pipeline.put(account, body(pipeline.tenant.keyVaultSecretId(secretName))).statusCode());
        JsonNode status = pipeline.awaitEnded(account);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertTrue(pipeline.tenant.calls("GET", "/secrets/" + secretName).stream()
            .anyMatch(c -> c.status() == 429), "the vault throttled the read");
    }

    @Test
    void aTokenFromKeyVaultThatCloudflareRejectsFailsNamingTheSecret() {
        String account = pipeline.newAccount();
        String secretName = "cf-scim-" + account.substring(0, 8);
        pipeline.tenant.setKeyVaultSecret(secretName, "not-a-cloudflare-token-" + UUID.randomUUID());
        String secret = pipeline.tenant.keyVaultSecretId(secretName);

        assertEquals(202, pipeline.put(account, body(secret)).statusCode());
        JsonNode status = pipeline.awaitEnded(account);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("ScimTokenRejected", status.path("error").path("code").asText());
        assertTrue(status.path("error").path("message").asText().contains(secret), status.toString());
    }

    @Test
    void switchingAMintedOnboardingToKeyVaultDeletesTheMintedToken() {
        String account = pipeline.newAccount();
        assertEquals(202, pipeline.put(account, "{}").statusCode());
        JsonNode minted = pipeline.awaitEnded(account);
        assertEquals("minted", minted.path("tokenSource").asText(), minted.toString());
        String mintedTokenId = minted.path("cloudflareTokenId").asText();

        String secretName = "cf-scim-" + account.substring(0, 8);
        pipeline.tenant.setKeyVaultSecret(secretName, pipeline.tenant.createScimTokenByHand(account, "by hand"));
        assertEquals(202, pipeline.put(account, body(pipeline.tenant.keyVaultSecretId(secretName))).statusCode());
        pipeline.await("the second run to end", TestPipeline.ONBOARDING_TIMEOUT,
            () -> "keyVault".equals(pipeline.status(account).path("tokenSource").asText())
                || "failed".equals(pipeline.status(account).path("state").asText()));
        JsonNode status = pipeline.awaitEnded(account);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals("keyVault", status.path("tokenSource").asText());
        assertFalse(pipeline.tenant.liveTokens(account).stream().anyMatch(t -> t.id().equals(mintedTokenId)),
            "the minted token is deleted");
        assertEquals(1, pipeline.tenant.liveTokens(account).size());
    }

    @Test
    void aSecretOfAVaultTheServiceDoesNotReadIsRefusedWithA400() {
        String account = pipeline.newAccount();

        HttpResponse<String> otherVault = pipeline.put(account,
            body("https://someone-else.vault.azure.net/secrets/cf-scim"));
        HttpResponse<String> plainHttp = pipeline.put(account,
            body(pipeline.tenant.keyVaultSecretId("cf-scim").replace("https://", "http://")));
        HttpResponse<String> notASecret = pipeline.put(account,
            body(pipeline.tenant.keyVaultUrl() + "/keys/cf-scim"));

        for (HttpResponse<String> response : List.of(otherVault, plainHttp, notASecret)) {
            assertEquals(400, response.statusCode(), response.body());
            JsonNode problem = TestPipeline.read(response.body());
            assertEquals("/scimTokenSecret", problem.path("errors").path(0).path("pointer").asText(),
                response.body());
        }
        assertTrue(TestPipeline.read(otherVault.body()).path("errors").path(0).path("detail").asText()
            .contains("someone-else.vault.azure.net"), otherVault.body());
        assertEquals(404, pipeline.get("/onboardings/" + account).statusCode(), "nothing was recorded");
    }

    private static String body(String secret) {
        return "{\"scimTokenSecret\":\"" + secret + "\"}";
    }
}
