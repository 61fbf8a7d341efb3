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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulated Graph, exercised over HTTP as the product's Graph SDK would call it. */
class GraphEmulationTest {

    private static final String TEMPLATE = "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate";

    private EmulatedTenant tenant;
    private TenantClient client;

    @BeforeEach
    void start() throws IOException {
        tenant = new EmulatedTenant("test-identity-header", 42L);
        tenant.seed();
        tenant.start(0);
        client = new TenantClient(tenant);
    }

    @AfterEach
    void stop() {
        tenant.stop();
    }

    @Test
    void graphRefusesCallsWithoutAValidTokenInGraphErrorShape() {
        TenantClient.Answer missing = client.send("GET", tenant.graphBaseUrl() + "/servicePrincipals", null);
        assertEquals(401, missing.status());
        assertEquals("InvalidAuthenticationToken", missing.json().at("/error/code").asText());
        assertNotNull(missing.json().at("/error/innerError/request-id").textValue());
        assertNotNull(missing.json().at("/error/innerError/date").textValue());

        TenantClient.Answer forged = client.send("GET", tenant.graphBaseUrl() + "/servicePrincipals", null,
                "Authorization", "Bearer aaa.bbb.ccc");
        assertEquals(401, forged.status());

        String storageToken = client.send("GET", tenant.identityEndpoint()
                + "?resource=https://storage.azure.com/&api-version=2019-08-01", null,
                "X-IDENTITY-HEADER", tenant.identityHeader()).json().get("access_token").asText();
        TenantClient.Answer wrongAudience = client.send("GET", tenant.graphBaseUrl() + "/servicePrincipals", null,
                "Authorization", "Bearer " + storageToken);
        assertEquals(401, wrongAudience.status());
        assertTrue(wrongAudience.json().at("/error/message").asText().contains("audience"));

        assertEquals(200, client.graph("GET", "/servicePrincipals", null).status());
    }

    @Test
    void expiredTokensAreRefused() {
        tenant.tokenLifetime(Duration.ofSeconds(-1));
        TenantClient.Answer answer = client.graph("GET", "/servicePrincipals", null);
        assertEquals(401, answer.status());
        assertTrue(answer.json().at("/error/message").asText().contains("expired"));
    }

    @Test
    void instantiateReturnsApplicationAndServicePrincipalWithUserRoleAndTags() {
        TenantClient.Answer answer = client.graph("POST", TEMPLATE, "{\"displayName\":\"Cloudflare Example Corp\"}");

        assertEquals(201, answer.status());
        JsonNode sp = answer.json().get("servicePrincipal");
        assertEquals(answer.json().at("/application/appId").asText(), sp.get("appId").asText());
        assertTrue(roleId(sp, "User") != null && roleId(sp, "msiam_access") != null);
        assertTrue(sp.get("tags").toString().contains("WindowsAzureActiveDirectoryCustomSingleSignOnApplication"));
        assertEquals(1, tenant.applicationsByDisplayName("Cloudflare Example Corp").size());
    }

    @Test
    void instantiateRejectsMissingDisplayNameAndUnknownTemplate() {
        assertEquals(400, client.graph("POST", TEMPLATE, "{}").status());
        TenantClient.Answer unknown = client.graph("POST", "/applicationTemplates/"
                + "11111111-2222-3333-4444-555555555555/instantiate", "{\"displayName\":\"x\"}");
        assertEquals(404, unknown.status());
        assertEquals("Request_ResourceNotFound", unknown.json().at("/error/code").asText());
        assertEquals(0, tenant.applicationCount());
    }

    @Test
    void newObjectsStayInvisibleUntilReplicated() {
        tenant.faults().replicationDelay(Duration.ofMillis(400), Duration.ofMillis(400));
        JsonNode created = client.graph("POST", TEMPLATE, "{\"displayName\":\"Replicating\"}").json();
        String spId = created.at("/servicePrincipal/id").asText();

        assertEquals(404, client.graph("GET", "/servicePrincipals/" + spId, null).status());
        assertEquals(404, client.graph("POST", "/servicePrincipals/" + spId + "/synchronization/jobs",
                "{\"templateId\":\"scim\"}").status());
        assertEquals(0, client.graph("GET", "/servicePrincipals?$filter=displayName%20eq%20'Replicating'", null)
                .json().get("value").size());

        awaitStatus(200, () -> client.graph("GET", "/servicePrincipals/" + spId, null));
        assertEquals(201, client.graph("POST", "/servicePrincipals/" + spId + "/synchronization/jobs",
                "{\"templateId\":\"scim\"}").status());
        assertTrue(tenant.faultStatistics().get(TenantFaults.REPLICATION_NOT_FOUND) >= 2);
    }

    @Test
    void synchronizationCallsCanAnswerForbiddenBeforeReplication() {
        tenant.faults().replicationDelay(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .synchronizationReplicationAnswer(TenantFaults.ReplicationAnswer.FORBIDDEN);
        String spId = client.graph("POST", TEMPLATE, "{\"displayName\":\"Slow\"}").json()
                .at("/servicePrincipal/id").asText();

        TenantClient.Answer answer = client.graph("POST", "/servicePrincipals/" + spId + "/synchronization/jobs",
                "{\"templateId\":\"scim\"}");
        assertEquals(403, answer.status());
        assertEquals("Authorization_RequestDenied", answer.json().at("/error/code").asText());
    }

    @Test
    void instantiateCanAnswerNotFoundAndStillCreate() {
        tenant.faults().instantiateNotFoundNext(1);

        assertEquals(404, client.graph("POST", TEMPLATE, "{\"displayName\":\"Ghost\"}").status());
        assertEquals(1, tenant.applicationsByDisplayName("Ghost").size());
        TenantClient.Answer found = client.graph("GET", "/applications?$filter=displayName%20eq%20'Ghost'", null);
        assertEquals(1, found.json().get("value").size());
        assertEquals(1L, tenant.faultStatistics().get(TenantFaults.INSTANTIATE_NOT_FOUND));
    }

    @Test
    void filtersParseODataStringLiteralsAndSelect() {
        client.graph("POST", TEMPLATE, "{\"displayName\":\"O'Brien Corp\"}");
        client.graph("POST", TEMPLATE, "{\"displayName\":\"Other\"}");

        JsonNode exact = client.graph("GET", "/servicePrincipals?$filter=displayName%20eq%20'O''Brien%20Corp'"
                + "&$select=displayName", null).json();
        assertEquals(1, exact.get("value").size());
        JsonNode item = exact.get("value").get(0);
        assertEquals("O'Brien Corp", item.get("displayName").asText());
        assertTrue(item.has("id"));
        assertFalse(item.has("appRoles"));

        JsonNode prefix = client.graph("GET", "/applications?$filter=startswith(displayName,'o')&$top=5", null).json();
        assertEquals(2, prefix.get("value").size());

        String spId = exact.get("value").get(0).get("id").asText();
        assertEquals(200, client.graph("GET", "/servicePrincipals/" + spId, null).status());
    }

    @Test
    void servicePrincipalIsAddressableByAppId() {
        String appId = client.graph("POST", TEMPLATE, "{\"displayName\":\"ByAppId\"}").json()
                .at("/application/appId").asText();
        TenantClient.Answer answer = client.graph("GET", "/servicePrincipals(appId='" + appId + "')", null);
        assertEquals(200, answer.status());
        assertEquals(appId, answer.json().get("appId").asText());
    }

    @Test
    void jobsAreCreatedOnlyFromTheScimTemplate() {
        String spId = newServicePrincipal("Jobs");
        assertEquals(400, client.graph("POST", "/servicePrincipals/" + spId + "/synchronization/jobs",
                "{\"templateId\":\"BoxOutDelta\"}").status());

        TenantClient.Answer job = client.graph("POST", "/servicePrincipals/" + spId + "/synchronization/jobs",
                "{\"templateId\":\"scim\"}");
        assertEquals(201, job.status());
        assertTrue(job.json().get("id").asText().matches("scim\\.[0-9a-f]{32}\\.[0-9a-f-]{36}"));
        assertEquals("Disabled", job.json().at("/schedule/state").asText());
        assertEquals("NotConfigured", job.json().at("/status/code").asText());
        assertEquals(1, client.graph("GET", "/servicePrincipals/" + spId + "/synchronization/jobs", null).json()
                .get("value").size());
    }

    @Test
    void secretKeysAreCaseSensitiveAndSensitiveValuesReadBackMasked() {
        String spId = newServicePrincipal("Secrets");
        TenantClient.Answer wrongCase = client.graph("PUT", "/servicePrincipals/" + spId + "/synchronization/secrets",
                "{\"value\":[{\"key\":\"baseAddress\",\"value\":\"https://example.invalid\"}]}");
        assertEquals(400, wrongCase.status());
        assertEquals("Request_BadRequest", wrongCase.json().at("/error/code").asText());
        assertTrue(wrongCase.json().at("/error/message").asText().contains("baseAddress"));

        assertEquals(204, client.graph("PUT", "/servicePrincipals/" + spId + "/synchronization/secrets",
                secrets("https://example.invalid/scim/v2", "not-a-real-token")).status());
        JsonNode readBack = client.graph("GET", "/servicePrincipals/" + spId + "/synchronization/secrets", null)
                .json();
        assertTrue(readBack.toString().contains("\"*\""));
        assertFalse(readBack.toString().contains("not-a-real-token"));
        assertEquals(List.of("BaseAddress", "SecretToken", "SyncAll"), List.copyOf(tenant.savedSecretKeys(spId)));
        assertFalse(tenant.calls().toString().contains("not-a-real-token"));
    }

    @Test
    void validateCredentialsAcceptsOnlyALiveScimTokenOfTheSameAccount() {
        String spId = newServicePrincipal("Validate");
        String jobId = newJob(spId);
        String token = mintScimToken(EmulatedTenant.SEED_ACCOUNT_ID);
        String otherAccountToken = mintScimToken("fedcba9876543210fedcba9876543210");
        String validate = "/servicePrincipals/" + spId + "/synchronization/jobs/" + jobId + "/validateCredentials";

        client.graph("PUT", "/servicePrincipals/" + spId + "/synchronization/secrets",
                secrets(tenant.scimBaseAddress(EmulatedTenant.SEED_ACCOUNT_ID), otherAccountToken));
        TenantClient.Answer refused = client.graph("POST", validate, "{\"useSavedCredentials\":true}");
        assertEquals(400, refused.status());
        assertTrue(refused.json().at("/error/message").asText().contains("401 Unauthorized"));

        client.graph("PUT", "/servicePrincipals/" + spId + "/synchronization/secrets",
                secrets(tenant.scimBaseAddress(EmulatedTenant.SEED_ACCOUNT_ID), token));
        assertEquals(204, client.graph("POST", validate, "{\"useSavedCredentials\":true}").status());
        assertEquals(1, tenant.calls("GET", "scim/v2/Users\\?filter=").stream()
                .filter(call -> call.status() == 200).count());

        tenant.faults().rejectScimTokens(EmulatedTenant.SEED_ACCOUNT_ID);
        assertEquals(400, client.graph("POST", validate, "{\"useSavedCredentials\":true}").status());
        tenant.faults().acceptScimTokens(EmulatedTenant.SEED_ACCOUNT_ID);

        String tokenId = tenant.liveTokens(EmulatedTenant.SEED_ACCOUNT_ID).get(0).id();
        client.cloudflare("DELETE", "/accounts/" + EmulatedTenant.SEED_ACCOUNT_ID + "/tokens/" + tokenId, null);
        assertEquals(400, client.graph("POST", validate, "{\"useSavedCredentials\":true}").status());
    }

    @Test
    void startNeedsSavedCredentialsAndPauseStops() {
        String spId = newServicePrincipal("Start");
        String jobId = newJob(spId);
        String job = "/servicePrincipals/" + spId + "/synchronization/jobs/" + jobId;
        assertEquals(400, client.graph("POST", job + "/start", null).status());

        client.graph("PUT", "/servicePrincipals/" + spId + "/synchronization/secrets",
                secrets(tenant.scimBaseAddress(EmulatedTenant.SEED_ACCOUNT_ID),
                        mintScimToken(EmulatedTenant.SEED_ACCOUNT_ID)));
        assertEquals(204, client.graph("POST", job + "/start", null).status());
        JsonNode started = client.graph("GET", job, null).json();
        assertEquals("Active", started.at("/status/code").asText());
        assertEquals("Active", started.at("/schedule/state").asText());

        tenant.quarantineJob(jobId, "SystemForCrossDomainIdentityManagementBadResponse", "boom");
        assertEquals("Quarantine", client.graph("GET", job, null).json().at("/status/code").asText());
        client.graph("POST", job + "/start", null);
        assertTrue(client.graph("GET", job, null).json().at("/status/quarantine").isNull());

        assertEquals(204, client.graph("POST", job + "/pause", null).status());
        assertEquals("Paused", tenant.jobs(spId).get(0).statusCode());
    }

    @Test
    void duplicateAssignmentAnswersAlreadyExistsAndCanBeConfiguredAs409() {
        JsonNode sp = client.graph("POST", TEMPLATE, "{\"displayName\":\"Assign\"}").json().get("servicePrincipal");
        String spId = sp.get("id").asText();
        String body = TenantClient.json(Map.of("principalId", EmulatedTenant.SEED_ADMINS_GROUP_ID,
                "resourceId", spId, "appRoleId", roleId(sp, "User")));
        String path = "/servicePrincipals/" + spId + "/appRoleAssignedTo";

        TenantClient.Answer first = client.graph("POST", path, body);
        assertEquals(201, first.status());
        assertEquals("Group", first.json().get("principalType").asText());
        TenantClient.Answer again = client.graph("POST", path, body);
        assertEquals(400, again.status());
        assertEquals("Permission being assigned already exists on the object.",
                again.json().at("/error/message").asText());

        tenant.faults().duplicateAssignmentStatus(409);
        assertEquals(409, client.graph("POST", path, body).status());
        assertEquals(1, tenant.assignments(spId).size());
        assertEquals(1, client.graph("GET", path, null).json().get("value").size());
    }

    @Test
    void assignmentChecksRoleAndPrincipal() {
        JsonNode sp = client.graph("POST", TEMPLATE, "{\"displayName\":\"Checks\"}").json().get("servicePrincipal");
        String spId = sp.get("id").asText();
        String path = "/servicePrincipals/" + spId + "/appRoleAssignedTo";

        TenantClient.Answer unknownRole = client.graph("POST", path, TenantClient.json(Map.of(
                "principalId", EmulatedTenant.SEED_USER_ADA_ID, "resourceId", spId,
                "appRoleId", "00000000-0000-0000-0000-000000000001")));
        assertEquals(400, unknownRole.status());
        assertTrue(unknownRole.json().at("/error/message").asText().startsWith("Permission being assigned was not"));

        TenantClient.Answer unknownPrincipal = client.graph("POST", path, TenantClient.json(Map.of(
                "principalId", "99999999-9999-4999-8999-999999999999", "resourceId", spId,
                "appRoleId", roleId(sp, "User"))));
        assertEquals(404, unknownPrincipal.status());
    }

    @Test
    void writesBeyondTheLimitAnswer429WithRetryAfterAndDoNothing() {
        tenant.faults().writeLimit(2);
        client.graph("POST", TEMPLATE, "{\"displayName\":\"W1\"}");
        client.graph("POST", TEMPLATE, "{\"displayName\":\"W2\"}");

        TenantClient.Answer throttled = client.graph("POST", TEMPLATE, "{\"displayName\":\"W3\"}");
        assertEquals(429, throttled.status());
        assertEquals("TooManyRequests", throttled.json().at("/error/code").asText());
        double retryAfter = Double.parseDouble(throttled.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 1.0, "Retry-After was " + retryAfter);
        assertNotNull(throttled.header("x-ms-throttle-scope"));
        assertEquals(0, tenant.applicationsByDisplayName("W3").size());
        assertEquals(200, client.graph("GET", "/applications", null).status());

        awaitStatus(201, () -> client.graph("POST", TEMPLATE, "{\"displayName\":\"W4\"}"));
    }

    @Test
    void throttleNextAndFailNextMatchByPath() {
        tenant.faults().throttleNext(1, "POST", "/instantiate$", 2.128).failNext(1, "GET", "/applications", 503);

        TenantClient.Answer throttled = client.graph("POST", TEMPLATE, "{\"displayName\":\"T\"}");
        assertEquals(429, throttled.status());
        assertEquals("2.128", throttled.header("Retry-After"));
        assertEquals(503, client.graph("GET", "/applications", null).status());
        assertEquals(201, client.graph("POST", TEMPLATE, "{\"displayName\":\"T\"}").status());
        assertEquals(200, client.graph("GET", "/applications", null).status());
    }

    @Test
    void revokedPermissionIsDeniedAtOnceEvenWithAnEarlierToken() {
        String token = client.graphToken();
        tenant.revokePermission(GraphApi.APPROLEASSIGNMENT_READWRITE_ALL);
        JsonNode sp = client.graph("POST", TEMPLATE, "{\"displayName\":\"Denied\"}").json().get("servicePrincipal");
        String spId = sp.get("id").asText();

        TenantClient.Answer denied = client.send("POST", tenant.graphBaseUrl() + "/servicePrincipals/" + spId
                + "/appRoleAssignedTo", TenantClient.json(Map.of("principalId", EmulatedTenant.SEED_USER_ADA_ID,
                "resourceId", spId, "appRoleId", roleId(sp, "User"))), "Authorization", "Bearer " + token);
        assertEquals(403, denied.status());
        assertEquals("Authorization_RequestDenied", denied.json().at("/error/code").asText());
        assertEquals("Insufficient privileges to complete the operation.", denied.json().at("/error/message").asText());

        tenant.grantedPermissions(List.of(GraphApi.APPLICATION_READ_ALL));
        assertEquals(403, client.graph("POST", TEMPLATE, "{\"displayName\":\"x\"}").status());
        assertEquals(200, client.graph("GET", "/applications", null).status());
    }

    @Test
    void deletingTheApplicationRemovesServicePrincipalAndJobs() {
        JsonNode created = client.graph("POST", TEMPLATE, "{\"displayName\":\"Gone\"}").json();
        String spId = created.at("/servicePrincipal/id").asText();
        newJob(spId);

        assertEquals(204, client.graph("DELETE", "/applications/" + created.at("/application/id").asText(), null)
                .status());
        assertEquals(0, tenant.servicePrincipalCount());
        assertEquals(0, tenant.jobCount(spId));
        assertEquals(404, client.graph("GET", "/servicePrincipals/" + spId, null).status());
    }

    @Test
    void unknownRoutesAndMethodsAnswerInGraphShape() {
        TenantClient.Answer unknown = client.graph("GET", "/nothingHere", null);
        assertEquals(404, unknown.status());
        assertEquals("Request_ResourceNotFound", unknown.json().at("/error/code").asText());
        assertEquals(405, client.graph("PATCH", "/applicationTemplates/x/instantiate", "{}").status());
    }

    private String newServicePrincipal(String displayName) {
        return client.graph("POST", TEMPLATE, TenantClient.json(Map.of("displayName", displayName))).json()
                .at("/servicePrincipal/id").asText();
    }

    private String newJob(String spId) {
        return client.graph("POST", "/servicePrincipals/" + spId + "/synchronization/jobs",
                "{\"templateId\":\"scim\"}").json().get("id").asText();
    }

    private String mintScimToken(String accountId) {
        String body = TenantClient.json(Map.of("name", "scim", "policies", List.of(Map.of("effect", "allow",
                "resources", Map.of("com.cloudflare.api.account." + accountId, "*"),
                "permission_groups", List.of(Map.of("id", CloudflareApi.SCIM_PERMISSION_GROUP_ID))))));
        return client.cloudflare("POST", "/accounts/" + accountId + "/tokens", body).json().at("/result/value")
                .asText();
    }

    private static String secrets(String baseAddress, String token) {
        return TenantClient.json(Map.of("value", List.of(Map.of("key", "BaseAddress", "value", baseAddress),
                Map.of("key", "SecretToken", "value", token), Map.of("key", "SyncAll", "value", "false"))));
    }

    private static String roleId(JsonNode servicePrincipal, String displayName) {
        for (JsonNode role : servicePrincipal.get("appRoles")) {
            if (displayName.equals(role.get("displayName").asText())) {
                return role.get("id").asText();
            }
        }
        return null;
    }

    /** Repeats a call until it answers the status, for at most five seconds. */
    private static void awaitStatus(int status, Supplier<TenantClient.Answer> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int last;
        do {
            last = call.get().status();
            if (last == status) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        } while (System.nanoTime() < deadline);
        assertEquals(status, last, "status never reached");
    }
}
