package dev.scimonboard.devtools.host;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.SendMessageResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LocalHostQueueTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static AzuriteProcess azurite;

    @BeforeAll
    static void startAzurite() {
        azurite = AzuriteProcess.start();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.close();
    }

    @Test
    void aSuccessfulBase64MessageIsDecodedAndDeleted() throws IOException {
        String queueName = uniqueQueue();
        String text = "ok " + UUID.randomUUID() + " \u00e9t\u00e9";
        try (LocalHost host = start(hostJson(""), "record", queueName)) {
            SendMessageResult sent = queue(queueName).sendMessage(base64(text));

            FixtureFunctions.Attempt attempt = awaitAttempts(text, 1).get(0);
            await(() -> approximateCount(queueName) == 0, "the message to be deleted");

            assertEquals(1, attempt.dequeueCount());
            assertEquals(sent.getMessageId(), attempt.messageId());
        }
    }

    @Test
    void aFailingMessageIsRetriedAfterTheVisibilityTimeoutThenPoisoned() throws IOException {
        String queueName = uniqueQueue();
        String text = "fail " + UUID.randomUUID();
        String options = "\"maxDequeueCount\":3,\"visibilityTimeout\":\"00:00:02\",\"messageEncoding\":\"none\",";
        try (LocalHost host = start(hostJson(options), "record", queueName)) {
            queue(queueName).sendMessage(text);

            await(() -> !peek(queueName + "-poison").isEmpty(), "the message to reach the poison queue");

            List<FixtureFunctions.Attempt> attempts = attemptsOf(text);
            assertEquals(List.of(1L, 2L, 3L), attempts.stream().map(FixtureFunctions.Attempt::dequeueCount).toList());
            for (int i = 1; i < attempts.size(); i++) {
                Duration gap = Duration.between(attempts.get(i - 1).at(), attempts.get(i).at());
                assertTrue(gap.compareTo(Duration.ofMillis(1_800)) >= 0, "retried after only " + gap);
            }
            assertEquals(text, peek(queueName + "-poison").get(0).getBody().toString());
            await(() -> approximateCount(queueName) == 0, "the original to be deleted");
        }
    }

    @Test
    void aMessageThatIsNotBase64GoesToPoisonUnrun() throws IOException {
        String queueName = uniqueQueue();
        String raw = "not base64! " + UUID.randomUUID();
        try (LocalHost host = start(hostJson(""), "record", queueName)) {
            queue(queueName).sendMessage(raw);

            await(() -> !peek(queueName + "-poison").isEmpty(), "the message to reach the poison queue");

            assertEquals(raw, peek(queueName + "-poison").get(0).getBody().toString());
            assertTrue(attemptsOf(raw).isEmpty(), "the function ran on an undecodable message");
            await(() -> approximateCount(queueName) == 0, "the original to be deleted");
        }
    }

    @Test
    void aMessageLeftUnsettledTooOftenIsPoisonedWithoutRunning() throws IOException {
        String queueName = uniqueQueue();
        String text = "ok " + UUID.randomUUID();
        QueueClient queue = queue(queueName);
        queue.createIfNotExists();
        queue.sendMessage(text);
        // A host that died mid-invocation leaves the dequeue count raised; here a bare receive does the same.
        queue.receiveMessages(1, Duration.ofMillis(1_000), null, null).forEach(message -> { });
        String options = "\"maxDequeueCount\":1,\"messageEncoding\":\"none\",";
        try (LocalHost host = start(hostJson(options), "record", queueName)) {
            await(() -> !peek(queueName + "-poison").isEmpty(), "the message to reach the poison queue");

            assertTrue(attemptsOf(text).isEmpty(), "the function ran on a message past maxDequeueCount");
        }
    }

    @Test
    void jsonMessagesBindToRecordsAndOfferTheirPropertiesAsBindingData() throws IOException {
        String queueName = uniqueQueue();
        String account = UUID.randomUUID().toString();
        try (LocalHost host = start(hostJson("\"messageEncoding\":\"none\","), "json", queueName)) {
            queue(queueName).sendMessage("{\"accountId\":\"" + account + "\",\"step\":2}");

            awaitAttempts("json " + account + " 2 " + account, 1);
        }
    }

    @Test
    void noMoreThanBatchSizePlusNewBatchThresholdMessagesRunAtOnce() throws IOException {
        String queueName = uniqueQueue();
        String batch = UUID.randomUUID().toString();
        FixtureFunctions.SLOW_PEAK.set(0);
        String options = "\"batchSize\":3,\"newBatchThreshold\":1,\"messageEncoding\":\"none\",";
        try (LocalHost host = start(hostJson(options), "slow", queueName)) {
            for (int i = 0; i < 9; i++) {
                queue(queueName).sendMessage(batch + " " + i);
            }

            await(() -> FixtureFunctions.ATTEMPTS.stream().filter(a -> a.text().startsWith(batch)).count() == 9,
                "all nine messages to run");

            assertTrue(FixtureFunctions.SLOW_PEAK.get() <= 4, "peak " + FixtureFunctions.SLOW_PEAK.get());
            assertTrue(FixtureFunctions.SLOW_PEAK.get() >= 2, "messages did not run concurrently");
        }
    }

    @Test
    void triggerQueuesAreCreatedAtStart() throws IOException {
        String queueName = uniqueQueue();
        try (LocalHost host = start(hostJson(""), "record", queueName)) {
            assertEquals(0, approximateCount(queueName));
            assertTrue(host.summary().stream().anyMatch(line -> line.contains("queue " + queueName)));
        }
    }

    private static LocalHost start(String hostJson, String method, String queueName) throws IOException {
        StagingFolder folder = StagingFolder.create(hostJson).queue(method, method, queueName);
        return LocalHost.start(folder.directory(), 0, Map.of("AzureWebJobsStorage", azurite.connectionString()));
    }

    /** A host.json whose queues section holds the given settings and polls an empty queue at least twice a second. */
    private static String hostJson(String queueSettings) {
        return "{\"version\":\"2.0\",\"extensions\":{\"queues\":{" + queueSettings
            + "\"maxPollingInterval\":\"00:00:00.500\"}}}";
    }

    private static QueueClient queue(String name) {
        return new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(name).buildClient();
    }

    private static List<PeekedMessageItem> peek(String name) {
        QueueClient queue = queue(name);
        queue.createIfNotExists();
        return queue.peekMessages(32, null, null).stream().toList();
    }

    private static long approximateCount(String name) {
        return queue(name).getProperties().getApproximateMessagesCount();
    }

    private static List<FixtureFunctions.Attempt> attemptsOf(String text) {
        return FixtureFunctions.ATTEMPTS.stream().filter(attempt -> attempt.text().equals(text)).toList();
    }

    private static List<FixtureFunctions.Attempt> awaitAttempts(String text, int count) {
        await(() -> attemptsOf(text).size() >= count, count + " attempt(s) on '" + text + "'");
        return attemptsOf(text);
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }

    private static String uniqueQueue() {
        return "q-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
