package dev.scimonboard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StepMessageTest {
    @Test
    void messageRoundTripsThroughItsJson() {
        StepMessage message = StepMessage.first("0123456789abcdef0123456789abcdef", "run-1", "corr-1",
            StepName.CREATE_JOB, 3, Instant.parse("2026-12-03T10:00:00Z"));

        StepMessage read = StepQueues.read(StepQueues.write(message.nextAttempt()));

        assertEquals("create-job", read.step());
        assertEquals(2, read.attempt());
        assertEquals(3, read.sequence());
        assertEquals(message.stepStartedAt(), read.stepStartedAt());
    }

    @Test
    void messageCarriesOnlyTheRunsIdsAndPlace() throws Exception {
        String json = StepQueues.write(StepMessage.first("a", "r", "c", StepName.SAVE_SECRETS, 1, Instant.EPOCH));

        java.util.Set<String> fields = new java.util.TreeSet<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).fieldNames().forEachRemaining(fields::add);
        assertEquals(new java.util.TreeSet<>(List.of("v", "accountId", "runId", "correlationId", "step", "sequence",
            "attempt", "stepStartedAt")), fields);
    }

    @Test
    void textThatIsNotAStepMessageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StepQueues.read("{\"v\":1}"));
        assertThrows(IllegalArgumentException.class, () -> StepQueues.read("not json"));
    }

    @Test
    void stepsRunInTheDocumentedOrder() {
        List<String> order = Stream.iterate(StepName.first(), s -> s.next().orElse(null))
            .takeWhile(s -> s != null).map(StepName::queueName).toList();

        assertEquals(List.of("create-app", "create-job", "save-secrets", "test-connection", "assign-access",
            "start-provisioning"), order);
    }
}
