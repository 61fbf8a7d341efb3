package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.RecordedCall;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host process killed (SIGKILL) right after a step's call took effect in Entra or Cloudflare, before the step
 * could record it or hand on: the message comes back and the onboarding completes with nothing made twice.
 */
class CrashIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @AfterEach
    void stopObserving() {
        pipeline.tenant.observeCalls(null);
    }

    @Test
    void hostKilledAfterInstantiateLeavesExactlyOneApplication() {
        String accountId = pipeline.newAccount();

        JsonNode status = onboardKillingTheHostAfter(accountId, call -> call.pathAndQuery().endsWith("/instantiate")
            && call.status() == 201 && call.requestBody() != null && call.requestBody().contains(accountId));

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(status.path("applicationDisplayName").asText())
            .size());
    }

    @Test
    void hostKilledAfterSavingSecretsLeavesOneLiveToken() {
        String accountId = pipeline.newAccount();

        JsonNode status = onboardKillingTheHostAfter(accountId, call -> "PUT".equals(call.method())
            && call.pathAndQuery().endsWith("/synchronization/secrets") && call.status() == 204);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(2, pipeline.tenant.cloudflareTokens(accountId).size(), "the step ran again and minted again");
        assertEquals(1, pipeline.tenant.liveTokens(accountId).size(), "the first token was deleted");
        assertEquals(status.path("cloudflareTokenId").asText(), pipeline.tenant.liveTokens(accountId).get(0).id());
    }

    @Test
    void hostKilledAfterCreatingTheJobLeavesExactlyOneJob() {
        String accountId = pipeline.newAccount();

        JsonNode status = onboardKillingTheHostAfter(accountId, call -> "POST".equals(call.method())
            && call.pathAndQuery().endsWith("/synchronization/jobs") && call.status() == 201);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(1, pipeline.tenant.jobCount(status.path("servicePrincipalId").asText()));
    }

    /**
     * Onboards the account, kills the host (SIGKILL) right after the first call matching {@code fatal} took effect,
     * before its answer reaches the host, starts the host again and waits for the onboarding to end.
     */
    private JsonNode onboardKillingTheHostAfter(String accountId, Predicate<RecordedCall> fatal) {
        AtomicBoolean killed = new AtomicBoolean();
        pipeline.tenant.observeCalls(call -> {
            if (fatal.test(call) && killed.compareAndSet(false, true)) {
                pipeline.killHost();
            }
        });

        pipeline.put(accountId, "{}");
        TestPipeline.await("the host to be killed", TestPipeline.ONBOARDING_TIMEOUT, killed::get);
        pipeline.tenant.observeCalls(null);
        pipeline.restartHost();
        return pipeline.awaitEnded(accountId);
    }
}
