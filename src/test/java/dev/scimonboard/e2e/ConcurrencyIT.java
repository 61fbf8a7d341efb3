package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.tenant.AssignmentSnapshot;
import dev.scimonboard.pipeline.StepMessage;
import dev.scimonboard.pipeline.StepName;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Duplicate and concurrent requests, and messages delivered more than once. */
class ConcurrencyIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @AfterEach
    void clearFaults() {
        pipeline.tenant.faults().clear();
    }

    @Test
    void concurrentPutsForOneAccountMakeOneApplicationJobAndToken() throws Exception {
        pipeline.tenant.faults().replicationDelay(Duration.ofMillis(500), Duration.ofSeconds(2));
        String accountId = pipeline.newAccount();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            puts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return pipeline.put(accountId, "{\"displayName\":\"Concurrent\"}");
            }));
        }

        start.countDown();
        Set<String> correlationIds = puts.stream().map(CompletableFuture::join)
            .peek(r -> assertEquals(202, r.statusCode(), r.body()))
            .map(r -> TestPipeline.read(r.body()).path("correlationId").asText())
            .collect(Collectors.toSet());
        JsonNode status = pipeline.awaitEnded(accountId);

        assertEquals(1, correlationIds.size(), "all eight answers name the one run");
        assertEquals("succeeded", status.path("state").asText(), status.toString());
        String name = status.path("applicationDisplayName").asText();
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(name).size());
        assertEquals(1, pipeline.tenant.jobCount(status.path("servicePrincipalId").asText()));
        assertEquals(1, pipeline.tenant.cloudflareTokens(accountId).size());
    }

    @Test
    void repeatedPutWhileRunningAnswersWithTheRunningOnboarding() {
        pipeline.tenant.faults().replicationDelay(Duration.ofSeconds(2), Duration.ofSeconds(3));
        String accountId = pipeline.newAccount();

        JsonNode first = TestPipeline.read(pipeline.put(accountId, "{}").body());
        HttpResponse<String> second = pipeline.put(accountId, "{\"startProvisioning\":false}");

        assertEquals(202, second.statusCode());
        JsonNode secondBody = TestPipeline.read(second.body());
        assertEquals(first.path("correlationId").asText(), secondBody.path("correlationId").asText());
        assertTrue(secondBody.path("desired").path("startProvisioning").asBoolean(), "the running request stands");
        assertEquals("succeeded", pipeline.awaitEnded(accountId).path("state").asText());
    }

    @Test
    void putAfterSuccessConvergesWithoutASecondApplication() {
        String accountId = pipeline.newAccount();
        String firstGroup = pipeline.newGroup();
        String secondGroup = pipeline.newGroup();
        pipeline.put(accountId, "{\"groups\":[\"" + firstGroup + "\"]}");
        JsonNode before = pipeline.awaitEnded(accountId);
        assertEquals("succeeded", before.path("state").asText(), before.toString());

        HttpResponse<String> again = pipeline.put(accountId, "{\"groups\":[\"" + firstGroup + "\",\"" + secondGroup
            + "\"]}");
        JsonNode after = pipeline.awaitEnded(accountId);

        assertEquals(202, again.statusCode());
        assertTrue(!before.path("correlationId").asText().equals(TestPipeline.read(again.body())
            .path("correlationId").asText()), "a new run starts");
        assertEquals("succeeded", after.path("state").asText(), after.toString());
        assertEquals(before.path("applicationId").asText(), after.path("applicationId").asText());
        assertEquals(before.path("jobId").asText(), after.path("jobId").asText());
        String servicePrincipalId = after.path("servicePrincipalId").asText();
        assertEquals(1, pipeline.tenant.applicationsByDisplayName(after.path("applicationDisplayName").asText())
            .size());
        assertEquals(Set.of(firstGroup, secondGroup), pipeline.tenant.assignments(servicePrincipalId).stream()
            .map(AssignmentSnapshot::principalId).collect(Collectors.toSet()));
        assertEquals(1, pipeline.tenant.liveTokens(accountId).size(), "the older token was deleted");
        assertEquals(1, pipeline.tenant.jobCount(servicePrincipalId));
    }

    @Test
    void messagesDeliveredAgainAfterTheRunEndedChangeNothing() {
        String accountId = pipeline.newAccount();
        pipeline.put(accountId, "{}");
        JsonNode status = pipeline.awaitEnded(accountId);
        TableEntity entity = pipeline.statusEntity(accountId);
        String runId = (String) entity.getProperty("runId");
        int callsBefore = pipeline.tenant.calls().size();
        int applicationsBefore = pipeline.tenant.applicationCount();

        for (StepName step : StepName.values()) {
            pipeline.sendStepMessage(step.queueName(), StepMessage.first(accountId, runId,
                status.path("correlationId").asText(), step, 1, Instant.now()));
        }
        TestPipeline.await("replayed messages to be consumed", Duration.ofSeconds(30),
            () -> pipeline.hostLog().split("dropped a message").length > 6);

        assertEquals(applicationsBefore, pipeline.tenant.applicationCount());
        assertEquals(callsBefore, pipeline.tenant.calls().size(), "no Graph or Cloudflare call was made");
        assertEquals(status.path("updatedAt").asText(), pipeline.status(accountId).path("updatedAt").asText());
    }
}
