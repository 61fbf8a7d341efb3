package dev.scimonboard.devtools.host;

import java.time.Duration;

/**
 * The queue trigger settings of host.json ({@code extensions.queues}), with the Functions host's defaults.
 *
 * @param batchSize messages fetched at once per queue (1 to 32)
 * @param newBatchThreshold a new batch is fetched once no more than this many invocations still run, so up to
 *     {@code batchSize + newBatchThreshold} run at once
 * @param maxPollingInterval the longest wait between polls of an empty queue
 * @param visibilityTimeout how long a failed message stays invisible before its next attempt
 * @param maxDequeueCount attempts before a failing message moves to the poison queue
 * @param base64 whether message text is base64 encoded ({@code messageEncoding} "base64", the default)
 */
public record QueueOptions(int batchSize, int newBatchThreshold, Duration maxPollingInterval,
                           Duration visibilityTimeout, int maxDequeueCount, boolean base64) {

    /** Storage refuses to hand out more than this many messages per receive call, so the host caps the batch. */
    public static final int MAX_BATCH_SIZE = 32;

    /** The host's defaults, used for every setting that host.json leaves out. */
    public static final QueueOptions DEFAULTS =
        new QueueOptions(16, 8, Duration.ofMinutes(1), Duration.ZERO, 5, true);

    /**
     * Checks the ranges the Functions host enforces, so a host.json that Azure would reject fails here too.
     */
    public QueueOptions {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new AppDefinitionException("host.json extensions.queues.batchSize must be 1 to 32, not " + batchSize);
        }
        if (newBatchThreshold < 0) {
            throw new AppDefinitionException("host.json extensions.queues.newBatchThreshold must not be negative");
        }
        if (maxDequeueCount < 1) {
            throw new AppDefinitionException("host.json extensions.queues.maxDequeueCount must be at least 1");
        }
        if (maxPollingInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new AppDefinitionException("host.json extensions.queues.maxPollingInterval must be at least 100 ms");
        }
        if (visibilityTimeout.isNegative()) {
            throw new AppDefinitionException("host.json extensions.queues.visibilityTimeout must not be negative");
        }
    }
}
