package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.ApplicationSnapshot;
import dev.scimonboard.devtools.tenant.RecordedCall;
import dev.scimonboard.devtools.tenant.TenantFaults;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Display names that look like OData: the application is looked up by name with a {@code $filter}, and the name
 * must stay one string literal in it (single quotes doubled), so that the lookup finds exactly this account's
 * application and nothing else.
 */
class ODataInjectionIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @AfterEach
    void clearFaults() {
        pipeline.tenant.faults().clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"O'Brien' or displayName eq 'x", "a'') or (1 eq 1", "it's ~ $filter=*"})
    void displayNameWithQuotesAndOperatorsStaysOneLiteralInTheFilter(String requested) {
        String accountId = pipeline.newAccount();
        // A first onboarding does not look the name up (nothing of this service's making can exist); a dry run does.
        String body = TestPipeline.JSON.createObjectNode().put("displayName", requested).toString();
        HttpResponse<String> plan = pipeline.send(HttpRequest.newBuilder(pipeline.api("/onboardings/" + accountId
            + "?dryRun=true")).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
            body)));
        assertEquals(200, plan.statusCode(), plan.body());

        String expectedName = onboardSuccessfully(accountId, requested);

        assertFiltersQuoteTheName(accountId, expectedName);
    }

    @Test
    void applicationAnsweredWithNotFoundIsFoundAgainByItsQuotedName() {
        String requested = "O'Hara' or startswith(displayName,'Cloudflare') or 'a' eq 'a";
        String accountId = pipeline.newAccount();
        long faultsBefore = pipeline.tenant.faultStatistics().getOrDefault(TenantFaults.INSTANTIATE_NOT_FOUND, 0L);
        pipeline.tenant.faults().instantiateNotFoundNext(1);

        String expectedName = onboardSuccessfully(accountId, requested);

        assertEquals(faultsBefore + 1, pipeline.tenant.faultStatistics().get(TenantFaults.INSTANTIATE_NOT_FOUND),
            "instantiate answered 404 once");
        assertEquals(1, pipeline.tenant.calls("POST", "/instantiate$").stream()
            .filter(c -> c.requestBody() != null && c.requestBody().contains(accountId)).count(),
            "after the 404 the application is found by name, not created again");
        assertFiltersQuoteTheName(accountId, expectedName);
    }

    /** Onboards the account with the display name and checks it ends with exactly one application so named. */
    private String onboardSuccessfully(String accountId, String requested) {
        String body = TestPipeline.JSON.createObjectNode().put("displayName", requested).toString();
        HttpResponse<String> accepted = pipeline.put(accountId, body);
        assertEquals(202, accepted.statusCode(), accepted.body());

        JsonNode status = pipeline.awaitEnded(accountId);

        String expectedName = requested + " (" + accountId + ")";
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(expectedName, status.path("applicationDisplayName").asText());
        List<ApplicationSnapshot> named = pipeline.tenant.applicationsByDisplayName(expectedName);
        assertEquals(1, named.size(), "applications named " + expectedName);
        assertEquals(named.get(0).id(), status.path("applicationId").asText());
        assertEquals(1, pipeline.tenant.applications().stream()
            .filter(app -> app.displayName().contains(accountId)).count(), "applications for the account");
        return expectedName;
    }

    /** Every service principal lookup for the account decodes to one equality with the quotes doubled. */
    private void assertFiltersQuoteTheName(String accountId, String expectedName) {
        String expectedFilter = "displayName eq '" + expectedName.replace("'", "''") + "'";
        List<String> filters = new ArrayList<>();
        for (RecordedCall call : pipeline.tenant.calls("GET", "/servicePrincipals")) {
            String filter = filterOf(call.pathAndQuery());
            if (filter != null && filter.contains(accountId)) {
                filters.add(filter);
            }
        }
        assertFalse(filters.isEmpty(), "the application was looked up by name");
        for (String filter : filters) {
            assertEquals(expectedFilter, filter);
        }
    }

    /** The decoded {@code $filter} of a recorded path and query, or null when it has none. */
    private static String filterOf(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        if (question < 0) {
            return null;
        }
        for (String pair : pathAndQuery.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && "$filter".equals(decode(pair.substring(0, equals)))) {
                return decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    /** Percent-decoding only: a plus sign in the name stays a plus sign. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
