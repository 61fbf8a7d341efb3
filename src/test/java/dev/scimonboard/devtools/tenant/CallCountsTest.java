package dev.scimonboard.devtools.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CallCountsTest {
    private static final String SP = "3f1e6a52-7c4b-4d2a-9e8f-1a2b3c4d5e01";
    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";

    @Test
    void routesReplaceIdsWithPlaceholdersAndKeepOnlyQueryNames() {
        assertEquals("/v1.0/servicePrincipals/{id}?$select",
            CallCounts.route("/v1.0/servicePrincipals/" + SP + "?$select=id,appId"));
        assertEquals("/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/start",
            CallCounts.route("/v1.0/servicePrincipals/" + SP + "/synchronization/jobs/scim."
                + ACCOUNT + "." + SP + "/start"));
        assertEquals("/v1.0/servicePrincipals?$filter&$select",
            CallCounts.route("/v1.0/servicePrincipals?$filter=displayName%20eq%20'x'&$select=id"));
        assertEquals("/v1.0/applications(appId={id})?$select",
            CallCounts.route("/v1.0/applications(appId='" + SP + "')?$select=id"));
        assertEquals("/client/v4/accounts/{id}/tokens/{id}",
            CallCounts.route("/client/v4/accounts/" + ACCOUNT + "/tokens/" + ACCOUNT));
        assertEquals("/client/v4/accounts/{id}/tokens/permission_groups",
            CallCounts.route("/client/v4/accounts/" + ACCOUNT + "/tokens/permission_groups"));
    }

    @Test
    void aLaterSnapshotMinusAnEarlierOneCountsThePeriodBetween() {
        CallCounts.Kind read = new CallCounts.Kind("graph", "GET", "/v1.0/servicePrincipals/{id}", 200);
        CallCounts.Kind throttled = new CallCounts.Kind("graph", "POST", "/v1.0/servicePrincipals/{id}/x", 429);
        CallCounts.Kind mint = new CallCounts.Kind("cloudflare", "POST", "/client/v4/accounts/{id}/tokens", 200);
        CallCounts earlier = new CallCounts(Map.of(read, 5L, throttled, 1L));
        CallCounts later = new CallCounts(Map.of(read, 8L, throttled, 4L, mint, 2L));

        CallCounts period = later.minus(earlier);

        assertEquals(6, period.calls("graph"));
        assertEquals(3, period.writes("graph"));
        assertEquals(3, period.withStatus("graph", 429));
        assertEquals(2, period.calls("cloudflare"));
        assertEquals(Map.of("cloudflare", 2L, "graph", 6L), period.byService());
        assertTrue(throttled.write());
        assertFalse(read.write());
    }
}
