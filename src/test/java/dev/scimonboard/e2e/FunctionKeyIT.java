package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.devtools.host.LocalHostProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The function key, as a deployed app demands it: a second local host on the same storage and tenant runs with
 * {@code LOCAL_FUNCTION_KEY} set, and only callers that send that key reach the onboardings API.
 */
class FunctionKeyIT {
    private static final String KEY_SETTING = "LOCAL_FUNCTION_KEY";
    private static final String KEY_HEADER = "x-functions-key";
    private static final String KEY = newKey();

    private static final TestPipeline PIPELINE = TestPipeline.shared();
    private static LocalHostProcess keyedHost;

    @BeforeAll
    static void startAHostThatNeedsAKey() {
        keyedHost = PIPELINE.startExtraHost(Map.of(KEY_SETTING, KEY));
    }

    @AfterAll
    static void stopTheHost() {
        if (keyedHost != null) {
            keyedHost.close();
        }
    }

    @Test
    void requestWithoutAKeyIsRefusedWithAnEmptyUnauthorizedAndWritesNothing() {
        String accountId = PIPELINE.newAccount();

        HttpResponse<String> put = PIPELINE.send(put(accountId, ""));
        HttpResponse<String> get = PIPELINE.send(get("/onboardings/" + accountId, ""));
        HttpResponse<String> list = PIPELINE.send(get("/onboardings", ""));

        for (HttpResponse<String> response : List.of(put, get, list)) {
            assertEquals(401, response.statusCode(), response.body());
            assertEquals("", response.body(), "a refused caller learns nothing");
        }
        assertEquals(404, PIPELINE.get("/onboardings/" + accountId).statusCode(), "no status was written");
        assertFalse(PIPELINE.queuedMessageTexts().stream().anyMatch(m -> m.contains(accountId)),
            "no message was queued");
    }

    static Stream<String> wrongKeys() {
        return Stream.of("wrong", KEY.toUpperCase(Locale.ROOT), KEY.substring(0, KEY.length() - 1), KEY + "0",
            "Bearer " + KEY);
    }

    @ParameterizedTest
    @MethodSource("wrongKeys")
    void wrongKeyInTheHeaderIsRefused(String wrongKey) {
        String accountId = PIPELINE.newAccount();

        HttpResponse<String> response = PIPELINE.send(put(accountId, "").header(KEY_HEADER, wrongKey));

        assertRefusedAndNothingWritten(response, accountId);
    }

    @ParameterizedTest
    @MethodSource("wrongKeys")
    void wrongCodeInTheQueryIsRefused(String wrongKey) {
        String accountId = PIPELINE.newAccount();

        HttpResponse<String> response = PIPELINE.send(put(accountId, "?code=" + encode(wrongKey)));

        assertRefusedAndNothingWritten(response, accountId);
    }

    @Test
    void rightKeyInTheHeaderOnboardsAndReadsTheStatus() {
        String accountId = PIPELINE.newAccount();

        HttpResponse<String> accepted = PIPELINE.send(put(accountId, "").header(KEY_HEADER, KEY));
        HttpResponse<String> status = PIPELINE.send(get("/onboardings/" + accountId, "").header(KEY_HEADER, KEY));

        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(200, status.statusCode(), status.body());
        assertEquals(accountId, TestPipeline.read(status.body()).path("accountId").asText());
        assertEquals("succeeded", PIPELINE.awaitEnded(accountId).path("state").asText());
    }

    @Test
    void rightKeyAsCodeOnboardsAndReadsTheStatus() {
        String accountId = PIPELINE.newAccount();
        String code = "?code=" + encode(KEY);

        HttpResponse<String> accepted = PIPELINE.send(put(accountId, code));
        HttpResponse<String> status = PIPELINE.send(get("/onboardings/" + accountId, code));

        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(200, status.statusCode(), status.body());
        assertEquals("succeeded", PIPELINE.awaitEnded(accountId).path("state").asText());
    }

    @Test
    void refusalLeaksNeitherTheKeyNorWhyItFailed() {
        String accountId = PIPELINE.newAccount();

        HttpResponse<String> response = PIPELINE.send(put(accountId, "").header(KEY_HEADER, KEY.substring(1)));

        assertEquals(401, response.statusCode());
        assertEquals("", response.body());
        assertTrue(response.headers().firstValue("Content-Type").isEmpty(), "no document is sent");
        response.headers().map().forEach((name, values) -> values.forEach(value ->
            assertFalse(value.contains(KEY.substring(1, 9)), "header " + name + " holds part of the key")));
        assertFalse(keyedHost.logText().contains(KEY), "the host log holds the key");
    }

    private static void assertRefusedAndNothingWritten(HttpResponse<String> response, String accountId) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("", response.body());
        assertEquals(404, PIPELINE.get("/onboardings/" + accountId).statusCode(), "no status was written");
        assertFalse(PIPELINE.queuedMessageTexts().stream().anyMatch(m -> m.contains(accountId)),
            "no message was queued");
    }

    private static HttpRequest.Builder put(String accountId, String query) {
        return HttpRequest.newBuilder(keyed("/onboardings/" + accountId + query))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{}"));
    }

    private static HttpRequest.Builder get(String path, String query) {
        return HttpRequest.newBuilder(keyed(path + query)).GET();
    }

    /** A URL on the host that needs the key. */
    private static URI keyed(String pathAndQuery) {
        return URI.create(keyedHost.baseUri() + "/api" + pathAndQuery);
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
