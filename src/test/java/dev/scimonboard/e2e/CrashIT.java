package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicBoolean;
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
        AtomicBoolean killed = new AtomicBoolean();
        pipeline.tenant.observeCalls(call -> {
            if (call.pathAndQuery().endsWith("/instantiate") && call.status() == 201
                && call.requestBody() != null && call.requestBody().contains(accountId)
                && killed.compareAndSet(false, true)) {
                pipeline.killHost();
            }
        });

        pipeline.put(accountId, "{}");
        TestPipeline.await("the host to be killed", TestPipeline.ONBOARDING_TIMEOUT, killed::get);
        pipeline.tenant.observeCalls(null);
        pipeline.restartHost();
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(status.path("applicationDisplayName").asText())
            .size());
    }

    @Test
    void hostKilledAfterSavingSecretsLeavesOneLiveToken() {
        String accountId = pipeline.newAccount();
        AtomicBoolean killed = new AtomicBoolean();
        pipeline.tenant.observeCalls(call -> {
            if (call.pathAndQuery().endsWith("/synchronization/secrets") && call.status() == 204
                && "PUT".equals(call.method()) && killed.compareAndSet(false, true)) {
                pipeline.killHost();
            }
        });

        pipeline.put(accountId, "{}");
        TestPipeline.await("the host to be killed", TestPipeline.ONBOARDING_TIMEOUT, killed::get);
        pipeline.tenant.observeCalls(null);
        pipeline.restartHost();
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(2, pipeline.tenant.cloudflareTokens(accountId).size(), "the step ran again and minted again");
        assertEquals(1, pipeline.tenant.liveTokens(accountId).size(), "the first token was deleted");
        assertEquals(status.path("cloudflareTokenId").asText(), pipeline.tenant.liveTokens(accountId).get(0).id());
    }

    @Test
    void hostKilledAfterCreatingTheJobLeavesExactlyOneJob() {
        String accountId = pipeline.newAccount();
        AtomicBoolean killed = new AtomicBoolean();
        pipeline.tenant.observeCalls(call -> {
            if ("POST".equals(call.method()) && call.pathAndQuery().endsWith("/synchronization/jobs")
                && call.status() == 201 && killed.compareAndSet(false, true)) {
                pipeline.killHost();
            }
        });

        pipeline.put(accountId, "{}");
        TestPipeline.await("the host to be killed", TestPipeline.ONBOARDING_TIMEOUT, killed::get);
        pipeline.tenant.observeCalls(null);
        pipeline.restartHost();
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("succeeded", status.path("state").asText(), status.toString());
        assertEquals(1, pipeline.tenant.jobCount(status.path("servicePrincipalId").asText()));
    }
}
