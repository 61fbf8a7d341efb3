package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.ReceivedCallback;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outcome callbacks: a request's {@code callbackUrl} gets the ended run's status document, signed, from the functions
 * in the local host, at the emulated tenant's receiver ({@code https://hooks.ticketing.example}, which the host's JVM
 * resolves to 127.0.0.1 and trusts).
 */
class CallbacksIT {
    private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(60);

    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void aSucceededOnboardingIsCalledBackOnceSignedWithItsStatusDocumentAndANewRunGetsItsOwnCallback()
        throws Exception {
        String account = pipeline.newAccount();
        String path = "/hooks/" + account;
        String callbackUrl = pipeline.tenant.callbackUrl(path);

        HttpResponse<String> accepted = pipeline.put(account, "{\"callbackUrl\":\"" + callbackUrl + "\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(callbackUrl, TestPipeline.read(accepted.body()).path("desired").path("callbackUrl").asText());
        assertEquals("succeeded", pipeline.awaitEnded(account).path("state").asText());
        JsonNode status = awaitCallbackSettled(account);

        List<ReceivedCallback> deliveries = pipeline.tenant.callbackDeliveries(path);
        assertEquals(1, deliveries.size(), deliveries.toString());
        ReceivedCallback delivery = deliveries.get(0);
        assertSignedWithTheTenantsKey(delivery);
        assertTrue(delivery.signatureValid(), "the receiver's own check");
        assertEquals("POST", delivery.method());
        assertTrue(delivery.header("Content-Type").startsWith("application/json"), delivery.headers().toString());
        assertEquals("1", delivery.header("X-Scim-Onboarding-Attempt"));
        JsonNode body = TestPipeline.read(delivery.body());
        assertEquals(account, body.path("accountId").asText());
        assertEquals("succeeded", body.path("state").asText());
        assertEquals(callbackUrl, body.path("desired").path("callbackUrl").asText());
        assertEquals(status.path("servicePrincipalId"), body.path("servicePrincipalId"));
        assertEquals("pending", body.path("callback").path("state").asText(), "the body is read as it is sent");

        assertEquals("delivered", status.path("callback").path("state").asText(), status.toString());
        assertEquals(1, status.path("callback").path("attempts").asInt());
        assertEquals(200, status.path("callback").path("lastStatus").asInt());
        assertEquals(delivery.header("X-Scim-Onboarding-Delivery"), status.path("callback").path("deliveryId")
            .asText());
        pipeline.checkAgainstOpenApi("/onboardings/" + account);

        // Once delivered, the outcome is not sent again, even by a redelivered message of the ended run.
        pipeline.await("the send-callback queue to be empty", CALLBACK_TIMEOUT,
            () -> pipeline.approximateMessageCount("send-callback") == 0);
        assertEquals(1, pipeline.tenant.callbackDeliveries(path).size());

        HttpResponse<String> again = pipeline.put(account, "{\"callbackUrl\":\"" + callbackUrl + "\"}");
        assertEquals(202, again.statusCode(), again.body());
        assertTrue(TestPipeline.read(again.body()).path("callback").isNull(), "a new run starts without a callback");
        pipeline.await("the second run's callback", CALLBACK_TIMEOUT,
            () -> pipeline.tenant.callbackDeliveries(path).size() == 2);
        List<ReceivedCallback> both = pipeline.tenant.callbackDeliveries(path);
        assertNotEquals(both.get(0).header("X-Scim-Onboarding-Delivery"), both.get(1).header(
            "X-Scim-Onboarding-Delivery"), "each run has its own delivery id");
        assertEquals("delivered", awaitCallbackSettled(account).path("callback").path("state").asText());
    }

    @Test
    void aFailedOnboardingIsCalledBackOnceWithTheFailure() throws Exception {
        String account = pipeline.newAccount();
        String path = "/hooks/" + account;
        pipeline.tenant.faults().rejectScimTokens(account);

        assertEquals(202, pipeline.put(account, "{\"callbackUrl\":\"" + pipeline.tenant.callbackUrl(path) + "\"}")
            .statusCode());
        assertEquals("failed", pipeline.awaitEnded(account).path("state").asText());
        JsonNode status = awaitCallbackSettled(account);

        assertEquals("delivered", status.path("callback").path("state").asText(), status.toString());
        List<ReceivedCallback> deliveries = pipeline.tenant.callbackDeliveries(path);
        assertEquals(1, deliveries.size(), deliveries.toString());
        assertSignedWithTheTenantsKey(deliveries.get(0));
        JsonNode body = TestPipeline.read(deliveries.get(0).body());
        assertEquals("failed", body.path("state").asText());
        assertEquals(status.path("error"), body.path("error"));
        assertTrue(body.path("error").path("code").isTextual(), body.toString());
    }

    @Test
    void aReceiverThatAnswers503TwiceGetsTheCallbackOnTheThirdAttemptWithTheSameDeliveryId() throws Exception {
        String account = pipeline.newAccount();
        String path = "/hooks/" + account;
        pipeline.tenant.failNextCallbacks(path, 2, 503, 1);

        assertEquals(202, pipeline.put(account, "{\"callbackUrl\":\"" + pipeline.tenant.callbackUrl(path) + "\"}")
            .statusCode());
        JsonNode status = awaitCallbackSettled(account);

        List<ReceivedCallback> deliveries = pipeline.tenant.callbackDeliveries(path);
        assertEquals(List.of(503, 503, 200), deliveries.stream().map(ReceivedCallback::answered).toList());
        assertEquals(List.of("1", "2", "3"), deliveries.stream().map(d -> d.header("X-Scim-Onboarding-Attempt"))
            .toList());
        assertEquals(1, deliveries.stream().map(d -> d.header("X-Scim-Onboarding-Delivery")).distinct().count(),
            "one delivery id on every attempt");
        for (ReceivedCallback delivery : deliveries) {
            assertSignedWithTheTenantsKey(delivery);
        }
        assertEquals("delivered", status.path("callback").path("state").asText(), status.toString());
        assertEquals(3, status.path("callback").path("attempts").asInt());
        assertEquals(2, StreamSupport.stream(status.path("history").spliterator(), false)
            .filter(entry -> "send-callback".equals(entry.path("step").asText())
                && "retrying".equals(entry.path("outcome").asText())).count(), status.path("history").toString());
        pipeline.await("the send-callback queue to be empty", CALLBACK_TIMEOUT,
            () -> pipeline.approximateMessageCount("send-callback") == 0);
        assertEquals(1, pipeline.tenant.callbackDeliveries(path).stream().filter(d -> d.answered() == 200).count(),
            "exactly one accepted delivery");
    }

    @ParameterizedTest
    @ValueSource(ints = {410, 302})
    void aReceiverThatRefusesTheCallbackIsNotCalledAgainAndTheStatusSaysFailed(int refusal) {
        String account = pipeline.newAccount();
        String path = "/hooks/" + account;
        pipeline.tenant.failNextCallbacks(path, 1, refusal, null);

        assertEquals(202, pipeline.put(account, "{\"callbackUrl\":\"" + pipeline.tenant.callbackUrl(path) + "\"}")
            .statusCode());
        JsonNode status = awaitCallbackSettled(account);

        assertEquals("succeeded", status.path("state").asText(), "the onboarding itself is not affected");
        assertEquals("failed", status.path("callback").path("state").asText(), status.toString());
        assertEquals(refusal, status.path("callback").path("lastStatus").asInt());
        assertTrue(status.path("callback").path("message").asText().contains("HTTP " + refusal), status.toString());
        pipeline.await("the send-callback queue to be empty", CALLBACK_TIMEOUT,
            () -> pipeline.approximateMessageCount("send-callback") == 0);
        assertEquals(1, pipeline.tenant.callbackDeliveries(path).size(), "no second attempt, no redirect followed");
        pipeline.checkAgainstOpenApi("/onboardings/" + account);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://hooks.elsewhere.example/hooks/x",
        "http://hooks.ticketing.example/hooks/x",
        "https://127.0.0.1/hooks/x",
        "https://localhost/hooks/x"})
    void aCallbackUrlThatIsNotAllowedIsRefusedNamingTheFieldAndNothingIsRecorded(String callbackUrl) {
        String account = pipeline.newAccount();

        HttpResponse<String> refused = pipeline.put(account, "{\"callbackUrl\":\"" + callbackUrl + "\"}");

        assertEquals(400, refused.statusCode(), refused.body());
        JsonNode problem = TestPipeline.read(refused.body());
        assertEquals("/callbackUrl", problem.path("errors").get(0).path("pointer").asText(), refused.body());
        assertEquals(404, pipeline.get("/onboardings/" + account).statusCode(), "nothing recorded");
        OpenApiContract.of(pipeline.get("/openapi.json").body()).check("PUT",
            pipeline.api("/onboardings/" + account), refused);
    }

    @Test
    void aBulkEntryIsValidatedAsAPutAndCalledBackOnItsOwn() {
        String good = pipeline.newAccount();
        String bad = pipeline.newAccount();
        String path = "/hooks/" + good;
        String body = "{\"accounts\":["
            + "{\"accountId\":\"" + good + "\",\"callbackUrl\":\"" + pipeline.tenant.callbackUrl(path) + "\"},"
            + "{\"accountId\":\"" + bad + "\",\"callbackUrl\":\"https://10.0.0.7/hooks\"}]}";

        HttpResponse<String> response = pipeline.send(HttpRequest.newBuilder(pipeline.api("/onboardings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertEquals(202, response.statusCode(), response.body());
        JsonNode results = TestPipeline.read(response.body()).path("results");
        assertEquals("accepted", results.get(0).path("status").asText(), response.body());
        assertEquals("rejected", results.get(1).path("status").asText(), response.body());
        assertEquals("/callbackUrl", results.get(1).path("problem").path("errors").get(0).path("pointer").asText());
        assertEquals(404, pipeline.get("/onboardings/" + bad).statusCode());
        assertEquals("delivered", awaitCallbackSettled(good).path("callback").path("state").asText());
        assertEquals(1, pipeline.tenant.callbackDeliveries(path).size());
    }

    /** Waits until the onboarding has ended and its callback is delivered or failed; returns the status document. */
    private JsonNode awaitCallbackSettled(String account) {
        pipeline.awaitEnded(account);
        JsonNode[] last = new JsonNode[1];
        TestPipeline.await("the callback of " + account + " to be delivered or failed", CALLBACK_TIMEOUT, () -> {
            last[0] = pipeline.status(account);
            String state = last[0].path("callback").path("state").asText();
            return "delivered".equals(state) || "failed".equals(state);
        });
        return last[0];
    }

    /** Checks the signature as a receiver would: HMAC-SHA256 of "timestamp.body" with the shared key, recent. */
    private void assertSignedWithTheTenantsKey(ReceivedCallback delivery) throws Exception {
        String timestamp = delivery.header("X-Scim-Onboarding-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(pipeline.tenant.callbackSigningKey().getBytes(StandardCharsets.UTF_8),
            "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + delivery.body())
            .getBytes(StandardCharsets.UTF_8)));
        String signature = delivery.header("X-Scim-Onboarding-Signature");

        assertTrue(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
            String.valueOf(signature).getBytes(StandardCharsets.US_ASCII)), "signature " + signature);
        long age = delivery.at().getEpochSecond() - Long.parseLong(timestamp);
        assertTrue(age >= -1 && age <= 60, "signed " + age + " s before it arrived");
        assertTrue(delivery.at().isBefore(Instant.now().plusSeconds(1)));
        assertTrue(UUID.fromString(delivery.header("X-Scim-Onboarding-Delivery")) != null);
    }
}
