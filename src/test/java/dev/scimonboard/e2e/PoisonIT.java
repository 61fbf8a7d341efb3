package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.pipeline.StepMessage;
import dev.scimonboard.pipeline.StepName;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A message the host gave up on marks its onboarding failed: nothing fails silently. */
class PoisonIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @AfterEach
    void clearFaults() {
        pipeline.tenant.faults().clear();
    }

    @Test
    void messageInAPoisonQueueMarksItsOnboardingFailedWithAReason() {
        // Keep the onboarding waiting at create-app (its service principal never becomes visible in time), as a
        // step would be while its message fails over and over.
        pipeline.tenant.faults().replicationDelay(Duration.ofSeconds(60), Duration.ofSeconds(60));
        String accountId = pipeline.newAccount();
        pipeline.put(accountId, "{}");
        TestPipeline.await("create-app to start waiting", Duration.ofSeconds(30),
            () -> "running".equals(pipeline.status(accountId).path("state").asText()));
        TableEntity entity = pipeline.statusEntity(accountId);

        StepMessage poisoned = StepMessage.first(accountId, (String) entity.getProperty("runId"),
            (String) entity.getProperty("correlationId"), StepName.CREATE_APPLICATION,
            ((Number) entity.getProperty("sequence")).longValue(), Instant.now());
        pipeline.sendStepMessage(StepName.CREATE_APPLICATION.poisonQueueName(), poisoned);
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals("create-app", status.path("error").path("step").asText());
        assertEquals("StepFailedRepeatedly", status.path("error").path("code").asText());
        assertTrue(status.path("error").path("message").asText().contains(status.path("correlationId").asText()));
    }

    @Test
    void poisonMessageOfAReplacedRunChangesNothing() {
        String accountId = pipeline.newAccount();
        pipeline.put(accountId, "{}");
        JsonNode done = pipeline.awaitEnded(accountId);

        pipeline.sendStepMessage(StepName.START_PROVISIONING.poisonQueueName(), StepMessage.first(accountId,
            "an-older-run", done.path("correlationId").asText(), StepName.START_PROVISIONING, 1, Instant.now()));
        TestPipeline.await("the poison message to be consumed", Duration.ofSeconds(30),
            () -> pipeline.approximateMessageCount(StepName.START_PROVISIONING.poisonQueueName()) == 0);

        assertEquals("succeeded", pipeline.status(accountId).path("state").asText());
    }
}
