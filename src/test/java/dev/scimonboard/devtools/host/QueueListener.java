package dev.scimonboard.devtools.host;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.UpdateMessageResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls one queue for one queue-triggered function with the Functions host's semantics: a batch of messages is
 * leased, each runs on its own thread, a new batch is fetched once no more than {@code newBatchThreshold} still
 * run, success deletes the message, failure makes it visible again after
 * {@code visibilityTimeout}, and the attempt that reaches {@code maxDequeueCount} moves it to
 * {@code <queue>-poison}. An empty queue is polled less and less often, up to {@code maxPollingInterval}.
 * Nothing is held in memory that a crash could lose: a killed host leaves leased messages, which reappear when
 * their lease ends.
 */
final class QueueListener {

    /**
     * How long a received message stays invisible while its function runs; renewed at half time. Ten minutes, as in
     * Azure; crash tests shorten it with LOCAL_HOST_MESSAGE_LEASE_SECONDS so a killed host's messages return sooner.
     */
    static final Duration LEASE = Duration.ofSeconds(Long.parseLong(
        System.getenv().getOrDefault("LOCAL_HOST_MESSAGE_LEASE_SECONDS", "600")));

    /** The first wait after an empty poll; it doubles up to maxPollingInterval. */
    static final Duration MIN_POLLING_INTERVAL = Duration.ofMillis(100);

    private static final Logger LOG = Logger.getLogger(QueueListener.class.getName());

    private final FunctionDefinition function;
    private final String queueName;
    private final EntryPoint entryPoint;
    private final QueueOptions options;
    private final QueueClient queue;
    private final QueueClient poisonQueue;
    private final ScheduledExecutorService leaseRenewals;
    private final ObjectMapper json;
    private final ParameterValues values;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();
    private final Object signal = new Object();
    private final Thread poller;
    private volatile boolean stopping;

    /** A received message's claim: the pop receipt changes at every renewal, and settling ends the renewals. */
    private static final class Lease {
        private final String messageId;
        private String popReceipt;
        private boolean settled;

        Lease(String messageId, String popReceipt) {
            this.messageId = messageId;
            this.popReceipt = popReceipt;
        }
    }

    /**
     * Prepares a listener; it polls once {@link #start()} is called.
     *
     * @param function the function
     * @param trigger its queue trigger
     * @param entryPoint its checked entry point
     * @param options host.json queue settings
     * @param queue the trigger queue
     * @param poisonQueue the queue named {@code <queue>-poison}
     * @param leaseRenewals a shared timer for lease renewals
     * @param json the mapper for POJO messages
     */
    QueueListener(FunctionDefinition function, TriggerSpec.Queue trigger, EntryPoint entryPoint, QueueOptions options,
                  QueueClient queue, QueueClient poisonQueue, ScheduledExecutorService leaseRenewals,
                  ObjectMapper json) {
        this.function = function;
        this.queueName = trigger.queueName();
        this.entryPoint = entryPoint;
        this.options = options;
        this.queue = queue;
        this.poisonQueue = poisonQueue;
        this.leaseRenewals = leaseRenewals;
        this.json = json;
        this.values = new ParameterValues(json);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(options.batchSize() + options.newBatchThreshold(), task -> {
            Thread thread = new Thread(task, function.name() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.poller = new Thread(this::poll, "poll-" + queueName);
        this.poller.setDaemon(true);
    }

    /** Creates the trigger queue if it is missing and starts polling. */
    void start() {
        queue.createIfNotExists();
        poller.start();
    }

    /**
     * Stops polling and waits for running invocations; those still running after the grace period are left to
     * their lease, so their messages come back later, as after a crash.
     *
     * @param grace how long to wait for running invocations
     */
    void stop(Duration grace) {
        stopping = true;
        wake();
        try {
            poller.join(grace.toMillis());
            workers.shutdown();
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> running.get() + " invocation(s) of " + function.name()
                    + " still running at stop; their messages reappear when the lease ends");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The poll loop: fetch while there is room, back off while the queue is empty, until stopped. */
    private void poll() {
        Duration delay = MIN_POLLING_INTERVAL;
        while (!stopping) {
            // Like the host, fetch a whole batch once the running count has fallen to newBatchThreshold, so up to
            // batchSize + newBatchThreshold messages run at once (the figure Microsoft documents).
            if (running.get() > options.newBatchThreshold()) {
                pause(options.maxPollingInterval());
                continue;
            }
            List<QueueMessageItem> batch;
            try {
                batch = new ArrayList<>();
                queue.receiveMessages(options.batchSize(), LEASE, null, Context.NONE).forEach(batch::add);
            } catch (RuntimeException e) {
                if (stopping) {
                    break;
                }
                // Storage being away (Azurite stopped) is expected at times: one line, the stack only on FINE.
                LOG.warning("cannot receive from queue " + queueName + " (" + e.getMessage() + "); retrying in "
                    + delay.toMillis() + " ms");
                LOG.log(Level.FINE, "receive failure", e);
                pause(delay);
                delay = longer(delay);
                continue;
            }
            if (batch.isEmpty()) {
                pause(delay);
                delay = longer(delay);
                continue;
            }
            delay = MIN_POLLING_INTERVAL;
            for (QueueMessageItem message : batch) {
                if (stopping) {
                    // Received during shutdown: hand it straight back rather than leave it leased for ten minutes.
                    handBack(message);
                    continue;
                }
                running.incrementAndGet();
                workers.execute(() -> process(message));
            }
        }
    }

    /** Makes a message visible again at once; if that fails too, its lease runs out on its own. */
    private void handBack(QueueMessageItem message) {
        try {
            release(new Lease(message.getMessageId(), message.getPopReceipt()), Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not hand back message " + message.getMessageId(), e);
        }
    }

    /** Runs one message and settles it; the running count and the lease renewal end here whatever happens. */
    private void process(QueueMessageItem message) {
        Lease lease = new Lease(message.getMessageId(), message.getPopReceipt());
        long renewEvery = LEASE.toMillis() / 2;
        ScheduledFuture<?> renewal = leaseRenewals.scheduleAtFixedRate(() -> renew(lease), renewEvery, renewEvery,
            TimeUnit.MILLISECONDS);
        try {
            handle(message, lease);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not settle message " + message.getMessageId() + " of queue " + queueName
                + "; it reappears when its lease ends", e);
        } finally {
            renewal.cancel(false);
            running.decrementAndGet();
            wake();
        }
    }

    private void handle(QueueMessageItem message, Lease lease) {
        String raw = message.getBody().toString();
        long dequeueCount = message.getDequeueCount();
        if (dequeueCount > options.maxDequeueCount()) {
            // An earlier attempt died without settling (a killed host): the host poisons it without running it.
            moveToPoison(raw, lease, dequeueCount);
            return;
        }
        byte[] bytes;
        try {
            bytes = decode(raw);
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "message " + lease.messageId + " of queue " + queueName
                + " is not valid base64, which host.json messageEncoding requires");
            moveToPoison(raw, lease, dequeueCount);
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);

        LocalExecutionContext context = new LocalExecutionContext(function.name());
        Logger log = context.getLogger();
        log.info(() -> "Executing 'Functions." + function.name() + "' (Reason='New queue message detected on '"
            + queueName + "'.', Id=" + context.getInvocationId() + ", MessageId=" + lease.messageId
            + ", DequeueCount=" + dequeueCount + ")");
        long started = System.nanoTime();
        try {
            entryPoint.invoke(context, (parameter, bindingName) -> {
                if (bindingName == null) {
                    return parameter.getType().equals(byte[].class)
                        ? bytes : values.fromText(text, parameter.getParameterizedType());
                }
                return values.fromMetadata(metadata(message, text).get(bindingName), parameter.getType());
            });
        } catch (Exception | Error e) {
            log.log(Level.SEVERE, "Executed 'Functions." + function.name() + "' (Failed, Id="
                + context.getInvocationId() + ", Duration=" + millisSince(started) + "ms)", e);
            if (dequeueCount >= options.maxDequeueCount()) {
                moveToPoison(raw, lease, dequeueCount);
            } else {
                release(lease, options.visibilityTimeout());
            }
            return;
        }
        log.info(() -> "Executed 'Functions." + function.name() + "' (Succeeded, Id=" + context.getInvocationId()
            + ", Duration=" + millisSince(started) + "ms)");
        delete(lease);
    }

    /** Decodes the stored text per messageEncoding; base64 is checked as strictly as .NET checks it. */
    private byte[] decode(String raw) {
        if (!options.base64()) {
            return raw.getBytes(StandardCharsets.UTF_8);
        }
        String compact = raw.replaceAll("\\s", "");
        if (compact.length() % 4 != 0) {
            throw new IllegalArgumentException("base64 text length is not a multiple of 4");
        }
        return Base64.getDecoder().decode(compact);
    }

    /**
     * The trigger metadata a {@code @BindingName} parameter can ask for: the message's own properties, and, when
     * the message is a JSON object, its top-level properties, as the Functions host offers them.
     */
    private Map<String, Object> metadata(QueueMessageItem message, String text) {
        Map<String, Object> metadata = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try {
            JsonNode body = json.readTree(text);
            if (body != null && body.isObject()) {
                body.properties().forEach(property -> metadata.put(property.getKey(),
                    property.getValue().isValueNode() ? property.getValue().asText() : property.getValue()));
            }
        } catch (IOException e) {
            // Not JSON: only the message properties below are offered, as in Azure.
            LOG.finest("queue message is not JSON");
        }
        metadata.put("QueueTrigger", text);
        metadata.put("Id", message.getMessageId());
        metadata.put("DequeueCount", message.getDequeueCount());
        metadata.put("InsertionTime", message.getInsertionTime());
        metadata.put("ExpirationTime", message.getExpirationTime());
        metadata.put("NextVisibleTime", message.getTimeNextVisible());
        metadata.put("PopReceipt", message.getPopReceipt());
        return metadata;
    }

    /** Copies the stored text, encoded as it was, to the poison queue, then deletes the original. */
    private void moveToPoison(String raw, Lease lease, long dequeueCount) {
        String poisonName = poisonQueue.getQueueName();
        LOG.warning(() -> "message " + lease.messageId + " of queue " + queueName + " (dequeue count " + dequeueCount
            + ", maxDequeueCount " + options.maxDequeueCount() + ") moves to queue " + poisonName);
        poisonQueue.createIfNotExists();
        poisonQueue.sendMessage(raw);
        delete(lease);
    }

    private void delete(Lease lease) {
        synchronized (lease) {
            lease.settled = true;
            queue.deleteMessage(lease.messageId, lease.popReceipt);
        }
    }

    private void release(Lease lease, Duration visibility) {
        synchronized (lease) {
            lease.settled = true;
            queue.updateMessage(lease.messageId, lease.popReceipt, null, visibility);
        }
    }

    /** Extends a long invocation's lease so another poll does not hand the same message out meanwhile. */
    private void renew(Lease lease) {
        synchronized (lease) {
            if (lease.settled) {
                return;
            }
            try {
                UpdateMessageResult result = queue.updateMessage(lease.messageId, lease.popReceipt, null, LEASE);
                lease.popReceipt = result.getPopReceipt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not renew the lease of message " + lease.messageId, e);
            }
        }
    }

    private void pause(Duration duration) {
        synchronized (signal) {
            if (!stopping) {
                try {
                    signal.wait(Math.max(1, duration.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private Duration longer(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(options.maxPollingInterval()) > 0 ? options.maxPollingInterval() : doubled;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
