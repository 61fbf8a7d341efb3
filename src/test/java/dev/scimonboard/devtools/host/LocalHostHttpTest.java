package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalHostHttpTest {

    private static final String KEY = "local-test-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static StagingFolder folder;
    private static LocalHost host;

    @BeforeAll
    static void startHost() throws IOException {
        folder = StagingFolder.create("{\"version\":\"2.0\"}")
            .http("echo", "echo", "ANONYMOUS", "items/{id}/{part?}", "GET", "PUT")
            .http("search", "search", "ANONYMOUS", "items/search", "GET")
            .http("secured", "secured", "FUNCTION", "secured", "POST")
            .http("boom", "boom", "ANONYMOUS", "boom")
            .http("hello", "hello", "ANONYMOUS", "hello/{name:alpha}");
        host = LocalHost.start(folder.directory(), 0, Map.of(HttpFrontDoor.FUNCTION_KEY_SETTING, KEY));
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @Test
    void routeParametersQueryAndHeadersReachTheFunction() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/items/42/details?x=1&y=a%20b"))
            .header("X-Custom", "hello").GET());

        assertEquals(200, response.statusCode());
        assertEquals("echo", response.headers().firstValue("x-fixture").orElseThrow());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonNode echo = JSON.readTree(response.body());
        assertEquals("echo", echo.get("function").asText());
        assertEquals("Function.echo", echo.get("logger").asText());
        assertFalse(echo.get("invocationId").asText().isEmpty());
        assertEquals("42", echo.get("id").asText());
        assertEquals("details", echo.get("part").asText());
        assertEquals("GET", echo.get("method").asText());
        assertEquals("1", echo.get("query").get("x").asText());
        assertEquals("a b", echo.get("query").get("y").asText());
        assertEquals("hello", echo.get("custom").asText());
        assertEquals("<none>", echo.get("body").asText());
        assertTrue(echo.get("uri").asText().endsWith("/api/items/42/details?x=1&y=a%20b"), echo.get("uri").asText());
    }

    @Test
    void anOptionalParameterMayBeLeftOut() throws Exception {
        JsonNode echo = JSON.readTree(send(HttpRequest.newBuilder(url("/api/items/42")).GET()).body());

        assertEquals("42", echo.get("id").asText());
        assertTrue(echo.get("part").isNull());
    }

    @Test
    void theBodyArrivesAsText() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/items/7"))
            .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));

        assertEquals(200, response.statusCode());
        assertEquals("{\"a\":1}", JSON.readTree(response.body()).get("body").asText());
        assertEquals("PUT", JSON.readTree(response.body()).get("method").asText());
    }

    @Test
    void aLiteralRouteWinsOverAParameterRoute() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/items/search")).GET());

        assertEquals(200, response.statusCode());
        assertEquals("search", response.body());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
    }

    @Test
    void aMatchingRouteWithAnotherMethodAnswers405WithAllow() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/items/42")).DELETE());

        assertEquals(405, response.statusCode());
        assertEquals("GET, PUT", response.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void noMatchingRouteAnswers404() throws Exception {
        assertEquals(404, send(HttpRequest.newBuilder(url("/api/nothing/here/at/all")).GET()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(url("/items/42")).GET()).statusCode());
    }

    @Test
    void aFunctionLevelRouteNeedsTheKeyInHeaderOrQuery() throws Exception {
        HttpResponse<String> withoutKey = send(HttpRequest.newBuilder(url("/api/secured")).POST(noBody()));
        HttpResponse<String> wrongKey = send(HttpRequest.newBuilder(url("/api/secured"))
            .header("x-functions-key", "guess").POST(noBody()));
        HttpResponse<String> headerKey = send(HttpRequest.newBuilder(url("/api/secured"))
            .header("x-functions-key", KEY).POST(noBody()));
        HttpResponse<String> queryKey = send(HttpRequest.newBuilder(url("/api/secured?code=" + KEY)).POST(noBody()));

        assertEquals(401, withoutKey.statusCode());
        assertEquals("", withoutKey.body());
        assertEquals(401, wrongKey.statusCode());
        assertEquals(202, headerKey.statusCode());
        assertEquals("/api/secured/1", headerKey.headers().firstValue("location").orElseThrow());
        assertEquals(202, queryKey.statusCode());
    }

    @Test
    void withoutAConfiguredKeyEveryRouteIsOpen() throws Exception {
        StagingFolder open = StagingFolder.create("{}").http("secured", "secured", "FUNCTION", "secured", "POST");
        Map<String, String> noKey = Map.of(HttpFrontDoor.FUNCTION_KEY_SETTING, "");
        try (LocalHost openHost = LocalHost.start(open.directory(), 0, noKey)) {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                openHost.baseUri().resolve("/api/secured")).POST(noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

            assertEquals(202, response.statusCode());
        }
    }

    @Test
    void aFailingFunctionAnswers500WithoutItsDetails() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/boom")).GET());

        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("secret detail"), response.body());
    }

    @Test
    void aStaticEntryPointMayReturnABareValue() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/API/Hello/World"))
            .POST(HttpRequest.BodyPublishers.ofString("again")));

        assertEquals(200, response.statusCode());
        assertEquals("hello World again", response.body());
    }

    @Test
    void theSummaryListsEveryFunctionWithItsUrl() {
        assertTrue(host.summary().stream().anyMatch(line -> line.contains("echo: [GET,PUT] http://127.0.0.1:"
            + host.port() + "/api/items/{id}/{part?}")), host.summary().toString());
        assertTrue(host.summary().stream().anyMatch(line -> line.contains("secured: [POST]")));
    }

    @Test
    void aParameterWithoutBindingRefusesTheApp() {
        StagingFolder broken = StagingFolder.create("{}").queue("echo", "echo", "work");

        AppDefinitionException refused = assertThrows(AppDefinitionException.class,
            () -> LocalHost.start(broken.directory(), 0, Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        assertTrue(refused.getMessage().contains("@QueueTrigger"), refused.getMessage());
    }

    private static URI url(String path) {
        return host.baseUri().resolve(path);
    }

    private static HttpRequest.BodyPublisher noBody() {
        return HttpRequest.BodyPublishers.noBody();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
