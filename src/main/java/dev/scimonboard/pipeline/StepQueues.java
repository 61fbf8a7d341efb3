package dev.scimonboard.pipeline;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sends step messages. The queue clients must use the same message encoding as the Functions host (base64, the
 * host's default, set in host.json).
 */
public final class StepQueues {
    /** The longest delay a queue message may be given. */
    private static final Duration MAX_DELAY = Duration.ofDays(6);

    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<StepName, QueueClient> queues = new EnumMap<>(StepName.class);

    /**
     * Creates the sender, creating each step's queue if it is missing.
     *
     * @param service the queue service of the app's storage account, with base64 message encoding
     */
    public StepQueues(QueueServiceClient service) {
        for (StepName step : StepName.values()) {
            QueueClient queue = service.getQueueClient(step.queueName());
            queue.createIfNotExists();
            queues.put(step, queue);
        }
    }

    /**
     * Sends a message to its step's queue.
     *
     * @param message the message
     * @param delay how long the message stays invisible, zero to run it as soon as possible
     */
    public void send(StepMessage message, Duration delay) {
        StepName step = StepName.fromQueueName(message.step())
            .orElseThrow(() -> new IllegalArgumentException("no step named " + message.step()));
        queues.get(step).sendMessageWithResponse(write(message), visibility(delay), null, null, null);
    }

    /**
     * The visibility timeout that delays a message by at least {@code delay}: the service counts it in whole seconds
     * and the SDK drops the fraction, so it is rounded up, and a wait such as Retry-After 1.5 is never cut short.
     *
     * @param delay the delay wanted
     * @return the visibility timeout to send, from zero to the longest the service allows
     */
    public static Duration visibility(Duration delay) {
        Duration visibility = delay.isNegative() ? Duration.ZERO : delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        if (visibility.getNano() > 0) {
            visibility = Duration.ofSeconds(visibility.getSeconds() + 1);
        }
        return visibility;
    }

    /**
     * The JSON text of a message.
     *
     * @param message the message
     * @return its text
     */
    public static String write(StepMessage message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a step message", e);
        }
    }

    /**
     * Reads a message's JSON text.
     *
     * @param text the text
     * @return the message
     * @throws IllegalArgumentException when the text is not a step message
     */
    public static StepMessage read(String text) {
        try {
            StepMessage message = JSON.readValue(text, StepMessage.class);
            if (message.accountId() == null || message.runId() == null || message.step() == null) {
                throw new IllegalArgumentException("a step message must name its account, run and step");
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a step message: " + e.getOriginalMessage(), e);
        }
    }
}
