package dev.scimonboard.devtools.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulated Cloudflare API: accounts, token minting and the SCIM endpoint. */
class CloudflareEmulationTest {

    private static final String ACCOUNT = EmulatedTenant.SEED_ACCOUNT_ID;

    private EmulatedTenant tenant;
    private TenantClient client;

    @BeforeEach
    void start() throws IOException {
        tenant = new EmulatedTenant("test-identity-header", 7L);
        tenant.seed();
        tenant.start(0);
        client = new TenantClient(tenant);
    }

    @AfterEach
    void stop() {
        tenant.stop();
    }

    @Test
    void accountsArePagedWithResultInfo() {
        for (int i = 0; i < 46; i++) {
            tenant.addCloudflareAccount(null, "Extra " + i);
        }
        JsonNode first = client.cloudflare("GET", "/accounts", null).json();
        assertTrue(first.get("success").asBoolean());
        assertEquals(20, first.get("result").size());
        assertEquals(50, first.at("/result_info/total_count").asInt());
        assertEquals(3, first.at("/result_info/total_pages").asInt());

        JsonNode last = client.cloudflare("GET", "/accounts?page=3&per_page=20", null).json();
        assertEquals(10, last.at("/result_info/count").asInt());
        JsonNode capped = client.cloudflare("GET", "/accounts?per_page=500", null).json();
        assertEquals(50, capped.at("/result_info/per_page").asInt());
    }

    @Test
    void authenticationFailuresUseTheErrorEnvelope() {
        TenantClient.Answer missing = client.send("GET", tenant.cloudflareBaseUrl() + "/accounts", null);
        assertEquals(400, missing.status());
        assertFalse(missing.json().get("success").asBoolean());
        assertTrue(missing.json().get("result").isNull());

        TenantClient.Answer invalid = client.send("GET", tenant.cloudflareBaseUrl() + "/accounts", null,
                "Authorization", "Bearer wrongtoken");
        assertEquals(403, invalid.status());
        assertEquals(9109, invalid.json().at("/errors/0/code").asInt());

        TenantClient.Answer noRoute = client.cloudflare("GET", "/zonesx", null);
        assertEquals(404, noRoute.status());
        assertEquals(7003, noRoute.json().at("/errors/0/code").asInt());
    }

    @Test
    void permissionGroupsIncludeScimProvisioning() {
        JsonNode groups = client.cloudflare("GET", "/accounts/" + ACCOUNT + "/tokens/permission_groups", null).json();
        assertTrue(groups.get("result").toString().contains("\"SCIM Provisioning\""));
    }

    @Test
    void mintedTokensAreListedWithoutValueAndDeletable() {
        TenantClient.Answer minted = client.cloudflare("POST", "/accounts/" + ACCOUNT + "/tokens", scimToken(ACCOUNT));
        assertEquals(200, minted.status());
        String value = minted.json().at("/result/value").asText();
        String id = minted.json().at("/result/id").asText();
        assertEquals(40, value.length());
        assertTrue(id.matches("[0-9a-f]{32}"));
        assertEquals(List.of(value), tenant.mintedTokenValues());

        JsonNode listed = client.cloudflare("GET", "/accounts/" + ACCOUNT + "/tokens", null).json();
        assertEquals(1, listed.at("/result_info/total_count").asInt());
        assertFalse(listed.toString().contains(value));

        TenantClient.Answer deleted = client.cloudflare("DELETE", "/accounts/" + ACCOUNT + "/tokens/" + id, null);
        assertEquals(id, deleted.json().at("/result/id").asText());
        assertEquals(0, tenant.liveTokens(ACCOUNT).size());
        assertTrue(tenant.cloudflareTokens(ACCOUNT).get(0).deleted());
        assertEquals(404, client.cloudflare("DELETE", "/accounts/" + ACCOUNT + "/tokens/" + id, null).status());
    }

    @Test
    void mintingValidatesPolicies() {
        String otherAccount = TenantClient.json(Map.of("name", "x", "policies", List.of(Map.of("effect", "allow",
                "resources", Map.of("com.cloudflare.api.account.fedcba9876543210fedcba9876543210", "*"),
                "permission_groups", List.of(Map.of("id", CloudflareApi.SCIM_PERMISSION_GROUP_ID))))));
        assertEquals(400, client.cloudflare("POST", "/accounts/" + ACCOUNT + "/tokens", otherAccount).status());

        String unknownGroup = TenantClient.json(Map.of("name", "x", "policies", List.of(Map.of("effect", "allow",
                "resources", Map.of("com.cloudflare.api.account." + ACCOUNT, "*"),
                "permission_groups", List.of(Map.of("id", "0000000000000000000000000000dead"))))));
        TenantClient.Answer answer = client.cloudflare("POST", "/accounts/" + ACCOUNT + "/tokens", unknownGroup);
        assertEquals(400, answer.status());
        assertFalse(answer.json().get("success").asBoolean());
        assertEquals(0, tenant.cloudflareTokens(ACCOUNT).size());
    }

    @Test
    void scimEndpointAnswersAnEmptyListForItsOwnLiveToken() {
        String value = client.cloudflare("POST", "/accounts/" + ACCOUNT + "/tokens", scimToken(ACCOUNT)).json()
                .at("/result/value").asText();
        String users = tenant.scimBaseAddress(ACCOUNT) + "/Users?filter=userName%20eq%20%22nobody%22";

        TenantClient.Answer ok = client.send("GET", users, null, "Authorization", "Bearer " + value);
        assertEquals(200, ok.status());
        assertEquals(0, ok.json().get("totalResults").asInt());
        assertEquals(401, client.send("GET", users, null, "Authorization", "Bearer " + tenant.cloudflareApiToken())
                .status());

        tenant.faults().rejectAllScimTokens(true);
        assertEquals(401, client.send("GET", users, null, "Authorization", "Bearer " + value).status());
        assertEquals(1L, tenant.faultStatistics().get(TenantFaults.SCIM_TOKEN_REJECTED));
    }

    @Test
    void rateLimitAnswers429PastTheWindowBudget() {
        tenant.faults().cloudflareRateLimit(2, Duration.ofMinutes(5));
        client.cloudflare("GET", "/accounts", null);
        client.cloudflare("GET", "/accounts", null);
        TenantClient.Answer limited = client.cloudflare("GET", "/accounts", null);
        assertEquals(429, limited.status());
        assertNotNull(limited.header("Retry-After"));
        assertEquals(971, limited.json().at("/errors/0/code").asInt());
    }

    private static String scimToken(String accountId) {
        return TenantClient.json(Map.of("name", "Entra SCIM", "policies", List.of(Map.of("effect", "allow",
                "resources", Map.of("com.cloudflare.api.account." + accountId, "*"),
                "permission_groups", List.of(Map.of("id", CloudflareApi.SCIM_PERMISSION_GROUP_ID))))));
    }
}
