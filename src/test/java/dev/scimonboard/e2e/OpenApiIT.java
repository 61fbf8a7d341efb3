package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.devtools.host.LocalHostProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAPI document that the app serves at {@code GET /api/openapi.json}: it is sound on its own (references,
 * operations, schemas, examples), and real answers of the local host, successes and problems alike, match it in
 * status, content type, headers and body.
 */
class OpenApiIT {
    private static final String JSON = "application/json";
    private static final Path REPOSITORY_DOCUMENT = Path.of("src", "main", "resources", "openapi.json");

    private static final TestPipeline PIPELINE = TestPipeline.shared();
    private static OpenApiContract contract;

    /**
     * One request whose answer must match the document.
     *
     * @param name what the case is, as the test report shows it
     * @param method the HTTP method
     * @param path the path and query below {@code /api}
     * @param contentType the Content-Type to send, or null for none
     * @param body the body, or null for none
     * @param status the status expected
     */
    record Call(String name, String method, String path, String contentType, String body, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void fetchTheDocument() {
        HttpResponse<String> response = PIPELINE.get("/openapi.json");
        assertEquals(200, response.statusCode(), response.body());
        contract = OpenApiContract.of(response.body());
    }

    @AfterEach
    void clearFaults() {
        PIPELINE.tenant.faults().clear();
    }

    @Test
    void servedDocumentIsTheRepositoryOneAndDescribesItsOwnAnswer() throws IOException {
        HttpResponse<String> response = PIPELINE.get("/openapi.json");

        contract.check("GET", PIPELINE.api("/openapi.json"), response);
        assertEquals(JSON, mediaType(response));
        assertEquals(TestPipeline.read(Files.readString(REPOSITORY_DOCUMENT)), TestPipeline.read(response.body()));
        assertEquals("3.1.0", contract.document().path("openapi").asText());
    }

    @Test
    void anIndependentOpenApiParserFindsNothingWrong() {
        assertNoProblems(contract.parserMessages());
    }

    @Test
    void everyReferenceResolvesToAComponentOfTheRightKind() {
        assertNoProblems(contract.referenceProblems());
    }

    @Test
    void everyOperationHasAnIdAndDocumentsItsResponsesAsJsonOrProblems() {
        assertNoProblems(contract.operationProblems());
    }

    @Test
    void everyPathParameterIsDeclaredAndRequired() {
        assertNoProblems(contract.pathParameterProblems());
    }

    @Test
    void everySchemaIsValidJsonSchema202012AndCompiles() {
        assertNoProblems(contract.schemaProblems());
    }

    @Test
    void everyExampleMatchesItsSchema() {
        assertNoProblems(contract.exampleProblems());
    }

    @Test
    void everyComponentIsUsed() {
        assertNoProblems(contract.unusedComponentProblems());
    }

    @Test
    void acceptedPutRepeatedPutAndTheStatusWhileRunningAndOnceSucceededMatchTheDocument() {
        PIPELINE.tenant.faults().replicationDelay(Duration.ofSeconds(4), Duration.ofSeconds(5));
        String accountId = PIPELINE.newAccount();
        String body = "{\"displayName\":\"Cloudflare - Contoso Retail (prod)\",\"groups\":[\"" + PIPELINE.newGroup()
            + "\"],\"users\":[\"" + PIPELINE.newUser().toUpperCase(Locale.ROOT) + "\"],"
            + "\"startProvisioning\":true,\"reference\":\"RITM0012345\"}";

        JsonNode accepted = checked("PUT", "/onboardings/" + accountId, JSON, body, 202,
            request -> request.header("x-correlation-id", "snow-RITM0012345"));
        JsonNode repeated = checked("PUT", "/onboardings/" + accountId, JSON, "{}", 202);
        JsonNode[] running = new JsonNode[1];
        TestPipeline.await("the onboarding of " + accountId + " to be seen running", TestPipeline.ONBOARDING_TIMEOUT,
            () -> {
                running[0] = checked("GET", "/onboardings/" + accountId, null, null, 200);
                return "running".equals(running[0].path("state").asText());
            });
        PIPELINE.awaitEnded(accountId);
        JsonNode succeeded = checked("GET", "/onboardings/" + accountId, null, null, 200);

        assertEquals("queued", accepted.path("state").asText());
        assertEquals("snow-RITM0012345", repeated.path("correlationId").asText(), "the repeated PUT started nothing");
        assertTrue(running[0].path("history").size() >= 1, running[0].toString());
        assertEquals("succeeded", succeeded.path("state").asText(), succeeded.toString());
        assertTrue(succeeded.path("error").isNull());
    }

    @Test
    void failedOnboardingMatchesTheDocument() {
        String accountId = PIPELINE.newAccount();
        PIPELINE.tenant.faults().rejectScimTokens(accountId);

        checked("PUT", "/onboardings/" + accountId, JSON, "{\"reference\":\"ITSM-4821\"}", 202);
        PIPELINE.awaitEnded(accountId);
        JsonNode failed = checked("GET", "/onboardings/" + accountId, null, null, 200);

        assertEquals("failed", failed.path("state").asText(), failed.toString());
        assertEquals("ScimTokenRejected", failed.path("error").path("code").asText());
    }

    @Test
    void unknownAccountAnswersTheDocumentedNotFound() {
        JsonNode problem = checked("GET", "/onboardings/" + PIPELINE.newAccount(), null, null, 404);

        assertEquals(404, problem.path("status").asInt());
    }

    @Test
    void listPagesFollowedByNextLinkMatchTheDocument() {
        for (int i = 0; i < 2; i++) {
            String accountId = PIPELINE.newAccount();
            PIPELINE.put(accountId, "{}");
            PIPELINE.awaitEnded(accountId);
        }

        JsonNode first = checked("GET", "/onboardings?state=succeeded&top=1", null, null, 200);
        JsonNode second = checked("GET", next(first), null, null, 200);
        JsonNode defaults = checked("GET", "/onboardings", null, null, 200);
        JsonNode last = checked("GET", "/onboardings?state=failed&top=100", null, null, 200);
        for (int pages = 1; pages < 50 && !last.path("nextLink").isNull(); pages++) {
            last = checked("GET", next(last), null, null, 200);
        }

        assertTrue(first.path("value").size() <= 1, first.toString());
        assertTrue(second.path("value").size() <= 1, second.toString());
        assertTrue(defaults.path("value").size() >= 2, defaults.toString());
        assertTrue(last.path("nextLink").isNull(), "the last page has no next");
    }

    @Test
    void bulkWithValidAndInvalidEntriesMatchesTheDocument() {
        String valid = PIPELINE.newAccount();
        String withBadGroup = PIPELINE.newAccount();
        String body = "{\"accounts\":["
            + "{\"accountId\":\"" + valid + "\",\"groups\":[\"" + PIPELINE.newGroup() + "\"],\"reference\":\"RITM1\"},"
            + "{\"accountId\":\"" + valid.toUpperCase(Locale.ROOT) + "\"},"
            + "{\"accountId\":\"" + valid + "\"},"
            + "42,"
            + "{\"groups\":[]},"
            + "{\"accountId\":\"" + withBadGroup + "\",\"groups\":[\"Cloudflare Admins\"],\"owner\":\"me\"}]}";

        JsonNode result = checked("POST", "/onboardings", JSON, body, 202);
        JsonNode again = checked("POST", "/onboardings", JSON, "{\"accounts\":[{\"accountId\":\"" + valid + "\"}]}",
            202);

        assertEquals(1, result.path("accepted").asInt(), result.toString());
        assertEquals(5, result.path("rejected").asInt(), result.toString());
        assertEquals(List.of("accepted", "rejected", "rejected", "rejected", "rejected", "rejected"),
            statuses(result));
        assertEquals(2, result.path("results").path(5).path("problem").path("errors").size(), result.toString());
        assertEquals("accepted", again.path("results").path(0).path("status").asText(), again.toString());
        PIPELINE.awaitEnded(valid);
    }

    static Stream<Call> invalidRequests() {
        String id = "3f5c1a9e7b2d4c608e1f2a3b4c5d6e7f";
        return Stream.of(
            new Call("PUT with two invalid fields", "PUT", "/onboardings/" + id, JSON,
                "{\"groups\":[\"Cloudflare Admins\"],\"owner\":\"me\"}", 400),
            new Call("PUT with wrong types", "PUT", "/onboardings/" + id, JSON,
                "{\"displayName\":7,\"startProvisioning\":null,\"users\":{}}", 400),
            new Call("PUT with 101 groups", "PUT", "/onboardings/" + id, JSON, "{\"groups\":["
                + Stream.generate(() -> "\"6f1a0c3e-9d2b-4f7a-8c1e-2b3d4e5f6a7b\"").limit(101)
                .collect(Collectors.joining(",")) + "]}", 400),
            new Call("PUT of a body that is not JSON", "PUT", "/onboardings/" + id, JSON, "{\"groups\":[", 400),
            new Call("PUT of an array", "PUT", "/onboardings/" + id, JSON, "[]", 400),
            new Call("PUT of 40,000 bytes", "PUT", "/onboardings/" + id, JSON,
                "{\"reference\":\"" + "x".repeat(40_000) + "\"}", 400),
            new Call("PUT to an account id in upper case", "PUT", "/onboardings/" + id.toUpperCase(Locale.ROOT),
                JSON, "{}", 400),
            new Call("GET of an account id that is too short", "GET", "/onboardings/" + id.substring(1), null, null,
                400),
            new Call("list with top=0", "GET", "/onboardings?top=0", null, null, 400),
            new Call("list with an unknown state and parameter", "GET", "/onboardings?state=done&skip=1", null, null,
                400),
            new Call("list with a continuation the API did not give", "GET", "/onboardings?continuation=garbage", null,
                null, 400),
            new Call("bulk without a body", "POST", "/onboardings", JSON, null, 400),
            new Call("bulk of a PUT body", "POST", "/onboardings", JSON, "{\"groups\":[]}", 400),
            new Call("bulk with no accounts", "POST", "/onboardings", JSON, "{\"accounts\":[]}", 400),
            new Call("bulk that is not JSON", "POST", "/onboardings", JSON, "{\"accounts\":", 400),
            new Call("PUT of text/plain", "PUT", "/onboardings/" + id, "text/plain", "{}", 415),
            new Call("PUT of a body without a Content-Type", "PUT", "/onboardings/" + id, null, "{}", 415),
            new Call("bulk of application/xml", "POST", "/onboardings", "application/xml", "<accounts/>", 415),
            new Call("POST on an account", "POST", "/onboardings/" + id, JSON, "{}", 405),
            new Call("PATCH on an account", "PATCH", "/onboardings/" + id, JSON, "{}", 405),
            new Call("DELETE of an account never onboarded", "DELETE", "/onboardings/" + id, null, null, 404),
            new Call("dry run with a value other than true or false", "DELETE", "/onboardings/" + id
                + "?dryRun=maybe", null, null, 400),
            new Call("PUT on the collection", "PUT", "/onboardings", JSON, "{}", 405),
            new Call("PATCH on the collection", "PATCH", "/onboardings", JSON, "{}", 405),
            new Call("DELETE on the collection", "DELETE", "/onboardings", null, null, 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void refusedRequestAnswersTheDocumentedProblem(Call call) {
        JsonNode problem = checked(call.method(), call.path(), call.contentType(), call.body(), call.status());

        assertEquals(call.status(), problem.path("status").asInt(), problem.toString());
        assertFalse(problem.path("detail").asText().isBlank(), problem.toString());
    }

    @Test
    void requestWithoutAKeyAnswersTheDocumentedUnauthorized() {
        String key = HexFormat.of().formatHex(randomBytes());
        String accountId = PIPELINE.newAccount();
        try (LocalHostProcess keyed = PIPELINE.startExtraHost(Map.of("LOCAL_FUNCTION_KEY", key))) {
            List<Call> calls = List.of(
                new Call("PUT", "PUT", "/onboardings/" + accountId, JSON, "{}", 401),
                new Call("GET", "GET", "/onboardings/" + accountId, null, null, 401),
                new Call("list", "GET", "/onboardings", null, null, 401),
                new Call("bulk", "POST", "/onboardings", JSON, "{\"accounts\":[]}", 401),
                new Call("405", "DELETE", "/onboardings", null, null, 401),
                new Call("document", "GET", "/openapi.json", null, null, 401));
            for (Call call : calls) {
                URI uri = URI.create(keyed.baseUri() + "/api" + call.path());
                HttpResponse<String> response = PIPELINE.send(request(uri, call.method(), call.contentType(),
                    call.body()));
                assertEquals(401, response.statusCode(), call.name() + ": " + response.body());
                assertNull(contract.check(call.method(), uri, response), call.name());
            }
            URI document = URI.create(keyed.baseUri() + "/api/openapi.json");
            HttpResponse<String> withKey = PIPELINE.send(request(document, "GET", null, null)
                .header("x-functions-key", key));

            assertEquals(200, withKey.statusCode());
            assertEquals(contract.document(), contract.check("GET", document, withKey));
        }
        assertEquals(404, PIPELINE.get("/onboardings/" + accountId).statusCode(), "no status was written");
    }

    @Test
    void documentThatMisdescribesTheAnswersFailsTheCheck() {
        String accountId = PIPELINE.newAccount();
        URI account = PIPELINE.api("/onboardings/" + accountId);
        HttpResponse<String> accepted = PIPELINE.put(accountId, "{}");
        HttpResponse<String> notFound = PIPELINE.get("/onboardings/" + PIPELINE.newAccount());
        contract.check("PUT", account, accepted);

        record Wrong(String name, Consumer<ObjectNode> change, String mentioned) {
        }
        List<Wrong> wrongs = List.of(
            new Wrong("a state left out of the enumeration", doc -> ((ArrayNode) schemaOf(doc, "OnboardingState")
                .get("enum")).remove(0), "/state"),
            new Wrong("a field of the status document left out", doc -> ((ObjectNode) schemaOf(doc,
                "StatusDocument").get("properties")).remove("jobStatus"), "'jobStatus'"),
            new Wrong("a nullable field described as never null", doc -> ((ObjectNode) schemaOf(doc,
                "StatusDocument").get("properties")).putObject("jobId").put("type", "string"), "/jobId"),
            new Wrong("the Location header with a wrong form", doc -> ((ObjectNode) doc.at(
                "/components/headers/Location/schema")).put("pattern", "^https://"), "header Location"),
            new Wrong("a success described as XML", doc -> {
                ObjectNode content = (ObjectNode) doc.at(
                    "/paths/~1onboardings~1{accountId}/put/responses/202/content");
                content.set("application/xml", content.remove(JSON));
            }, "[application/xml]"),
            new Wrong("404 left out of the GET", doc -> ((ObjectNode) doc.at(
                "/paths/~1onboardings~1{accountId}/get/responses")).remove("404"), "answered 404"));
        for (Wrong wrong : wrongs) {
            OpenApiContract broken = contract.withChange(wrong.change());
            AssertionError caught = assertThrows(AssertionError.class, () -> {
                broken.check("PUT", account, accepted);
                broken.check("GET", notFound.uri(), notFound);
            }, wrong.name());
            assertTrue(caught.getMessage().contains(wrong.mentioned()), wrong.name() + ": " + caught.getMessage());
        }
        PIPELINE.awaitEnded(accountId);
    }

    /** Sends a request to the shared host and checks the answer against the document; answers the body. */
    private static JsonNode checked(String method, String path, String contentType, String body, int status) {
        return checked(method, path, contentType, body, status, request -> { });
    }

    private static JsonNode checked(String method, String path, String contentType, String body, int status,
        Consumer<HttpRequest.Builder> extra) {
        URI uri = PIPELINE.api(path);
        HttpRequest.Builder request = request(uri, method, contentType, body);
        extra.accept(request);
        HttpResponse<String> response = PIPELINE.send(request);
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        return contract.check(method, uri, response);
    }

    private static HttpRequest.Builder request(URI uri, String method, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request;
    }

    /** The path and query below {@code /api} of a page's {@code nextLink}. */
    private static String next(JsonNode page) {
        assertFalse(page.path("nextLink").isNull(), "the page has a next: " + page);
        return page.path("nextLink").asText().replaceFirst("^/api", "");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static ObjectNode schemaOf(ObjectNode document, String name) {
        return (ObjectNode) document.path("components").path("schemas").path(name);
    }

    private static List<String> statuses(JsonNode bulkResult) {
        List<String> statuses = new ArrayList<>();
        bulkResult.path("results").forEach(result -> statuses.add(result.path("status").asText()));
        return statuses;
    }

    private static String mediaType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").split(";", 2)[0].trim();
    }

    private static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), problems.size() + " problem(s) in the document:\n  "
            + String.join("\n  ", problems));
    }
}
