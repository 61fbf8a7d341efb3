package dev.scimonboard.devtools.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The managed identity endpoint and the /_emulator control API. */
class ManagedIdentityAndControlTest {

    private static final String TOKEN_QUERY = "?resource=https://graph.microsoft.com&api-version=2019-08-01";

    private EmulatedTenant tenant;
    private TenantClient client;

    @BeforeEach
    void start() throws IOException {
        tenant = new EmulatedTenant("test-identity-header", 3L);
        tenant.start(0);
        client = new TenantClient(tenant);
    }

    @AfterEach
    void stop() {
        tenant.stop();
    }

    @Test
    void identityEndpointAnswersLikeAppService() throws IOException {
        TenantClient.Answer answer = client.send("GET", tenant.identityEndpoint() + TOKEN_QUERY, null,
                "X-IDENTITY-HEADER", tenant.identityHeader());
        assertEquals(200, answer.status());
        JsonNode json = answer.json();
        assertEquals("Bearer", json.get("token_type").asText());
        assertEquals("https://graph.microsoft.com", json.get("resource").asText());
        assertEquals(tenant.identityClientId(), json.get("client_id").asText());
        long expiresOn = Long.parseLong(json.get("expires_on").asText());
        assertTrue(expiresOn > Instant.now().plusSeconds(3000).getEpochSecond());

        String[] parts = json.get("access_token").asText().split("\\.");
        assertEquals(3, parts.length);
        JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertEquals("https://graph.microsoft.com", claims.get("aud").asText());
        assertEquals(tenant.identityObjectId(), claims.get("oid").asText());
    }

    @Test
    void identityEndpointRefusesAWrongOrMissingHeader() {
        assertEquals(401, client.send("GET", tenant.identityEndpoint() + TOKEN_QUERY, null,
                "X-IDENTITY-HEADER", "guess").status());
        assertEquals(400, client.send("GET", tenant.identityEndpoint() + TOKEN_QUERY, null).status());
        assertEquals(400, client.send("GET", tenant.identityEndpoint() + "?resource=x&api-version=2017-09-01", null,
                "X-IDENTITY-HEADER", tenant.identityHeader()).status());
    }

    @Test
    void userAssignedIdentityIsNamedByClientId() {
        String clientId = "5b1d0c7e-1111-4222-8333-444455556666";
        JsonNode json = client.send("GET", tenant.identityEndpoint() + TOKEN_QUERY + "&client_id=" + clientId, null,
                "X-IDENTITY-HEADER", tenant.identityHeader()).json();
        assertEquals(clientId, json.get("client_id").asText());
        assertEquals(200, client.send("GET", tenant.graphBaseUrl() + "/applications", null,
                "Authorization", "Bearer " + json.get("access_token").asText()).status());
    }

    @Test
    void controlApiSeedsConfiguresFaultsAndReportsState() {
        assertEquals(204, client.control("POST", "/seed", null).status());
        assertEquals(201, client.control("POST", "/directory/users",
                "{\"displayName\":\"Someone\"}").status());
        assertEquals(200, client.control("PUT", "/faults",
                "{\"instantiateNotFound\":{\"next\":1},\"duplicateAssignmentStatus\":409}").status());
        assertEquals(200, client.control("POST", "/permissions/revoke",
                "{\"permission\":\"Application.Read.All\"}").status());
        assertFalse(tenant.grantedPermissions().contains("Application.Read.All"));

        assertEquals(404, client.graph("POST",
                "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
                "{\"displayName\":\"Via control\"}").status());
        JsonNode state = client.control("GET", "/state", null).json();
        assertEquals(1, state.get("applications").size());
        assertEquals(4, state.at("/cloudflare/accounts").size());
        JsonNode stats = client.control("GET", "/stats", null).json();
        assertEquals(1, stats.at("/faults/instantiateNotFound").asInt());
        JsonNode calls = client.control("GET", "/calls?method=POST&path=instantiate", null).json();
        assertEquals(1, calls.get("calls").size());
        assertEquals(1, client.control("GET", "/applications?displayName=Via%20control", null).json()
                .get("applications").size());

        assertEquals(204, client.control("POST", "/reset", null).status());
        assertEquals(0, tenant.applicationCount());
        assertTrue(tenant.grantedPermissions().contains("Application.Read.All"));
    }

    @Test
    void secretsNeverReachTheCallLogStateOrStatistics() {
        tenant.seed();
        String account = EmulatedTenant.SEED_ACCOUNT_ID;
        String minted = client.cloudflare("POST", "/accounts/" + account + "/tokens", TenantClient.json(Map.of(
                "name", "scim", "policies", List.of(Map.of("effect", "allow",
                        "resources", Map.of("com.cloudflare.api.account." + account, "*"),
                        "permission_groups", List.of(Map.of("id", CloudflareApi.SCIM_PERMISSION_GROUP_ID)))))))
                .json().at("/result/value").asText();
        String spId = client.graph("POST", "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
                "{\"displayName\":\"Leak check\"}").json().at("/servicePrincipal/id").asText();
        client.graph("PUT", "/servicePrincipals/" + spId + "/synchronization/secrets", TenantClient.json(Map.of(
                "value", List.of(Map.of("key", "BaseAddress", "value", tenant.scimBaseAddress(account)),
                        Map.of("key", "SecretToken", "value", minted)))));

        String everything = client.control("GET", "/calls", null).raw().body()
                + client.control("GET", "/state", null).raw().body()
                + client.control("GET", "/stats", null).raw().body()
                + client.control("GET", "/faults", null).raw().body();
        assertFalse(everything.contains(minted));
        assertTrue(everything.contains("SecretToken"));
        JsonNode values = client.control("GET", "/minted-token-values", null).json();
        assertEquals(minted, values.at("/values/0").asText());
        assertNotEquals(minted, tenant.cloudflareApiToken());
    }
}
