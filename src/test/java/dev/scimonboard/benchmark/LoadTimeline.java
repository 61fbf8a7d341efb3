package dev.scimonboard.benchmark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.devtools.tenant.CallCounts;
import dev.scimonboard.devtools.tenant.EmulatedTenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples, once a second while a run goes on, the Graph calls the emulated tenant has answered and the local host's
 * resident memory: the write rate over time shows how much of the write budget each moment used, and the memory
 * curve how the host grows under load. Reading the tenant's counters and {@code /proc} costs next to nothing.
 */
final class LoadTimeline implements AutoCloseable {
    /** How often a sample is taken. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    /**
     * One sample; the counts are totals since the timeline started.
     *
     * @param seconds when, since the timeline started
     * @param graphRequests Graph calls answered
     * @param admittedWrites Graph writes admitted by the write limit (not answered 429)
     * @param throttled Graph calls answered 429
     * @param identityRequests token requests to the managed identity endpoint
     * @param rssKib the host's resident set size, or -1 when it could not be read
     */
    record Sample(double seconds, long graphRequests, long admittedWrites, long throttled, long identityRequests,
        long rssKib) {
    }

    private final EmulatedTenant tenant;
    private final long pid;
    private final CallCounts start;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "load-timeline");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Starts sampling.
     *
     * @param tenant the tenant whose calls to count
     * @param pid the local host's process
     */
    LoadTimeline(EmulatedTenant tenant, long pid) {
        this.tenant = tenant;
        this.pid = pid;
        this.start = tenant.callCounts();
        timer.scheduleAtFixedRate(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops sampling, after one last sample; closing again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdown();
        try {
            timer.awaitTermination(INTERVAL.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    /**
     * The samples taken so far.
     *
     * @return a copy, oldest first
     */
    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * The highest rate of admitted Graph writes over any window of the given length.
     *
     * @param window such as one minute
     * @return writes per second; NaN when the timeline is shorter than the window
     */
    synchronized double peakWriteRate(Duration window) {
        double best = Double.NaN;
        double length = window.toMillis() / 1000.0;
        int from = 0;
        for (int to = 0; to < samples.size(); to++) {
            while (samples.get(to).seconds() - samples.get(from).seconds() > length) {
                from++;
            }
            double span = samples.get(to).seconds() - samples.get(from).seconds();
            if (span >= length - INTERVAL.toMillis() / 1000.0 && span > 0) {
                double rate = (samples.get(to).admittedWrites() - samples.get(from).admittedWrites()) / span;
                best = Double.isNaN(best) ? rate : Math.max(best, rate);
            }
        }
        return best;
    }

    /**
     * The timeline as JSON: per second, admitted writes, 429s, token requests and the host's resident memory.
     *
     * @return {@code {intervalSeconds, admittedWritesPerSecond:[...], throttledPerSecond:[...],
     *     identityRequestsPerSecond:[...], hostRssMiB:[...]}}
     */
    synchronized ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("intervalSeconds", INTERVAL.toSeconds());
        ArrayNode writes = json.putArray("admittedWritesPerSecond");
        ArrayNode throttled = json.putArray("throttledPerSecond");
        ArrayNode identity = json.putArray("identityRequestsPerSecond");
        ArrayNode rss = json.putArray("hostRssMiB");
        for (int i = 1; i < samples.size(); i++) {
            Sample previous = samples.get(i - 1);
            Sample current = samples.get(i);
            writes.add(current.admittedWrites() - previous.admittedWrites());
            throttled.add(current.throttled() - previous.throttled());
            identity.add(current.identityRequests() - previous.identityRequests());
            rss.add(current.rssKib() < 0 ? -1 : ProcessMemory.mib(current.rssKib()));
        }
        return json;
    }

    private void sample() {
        CallCounts counts = tenant.callCounts().minus(start);
        long writes = counts.writes(CallCounts.GRAPH);
        long throttledWrites = counts.count(k -> CallCounts.GRAPH.equals(k.service()) && k.write()
            && k.status() == 429);
        long rss = ProcessMemory.read(pid).map(ProcessMemory::rssKib).orElse(-1L);
        Sample sample = new Sample((System.nanoTime() - startNanos) / 1e9, counts.calls(CallCounts.GRAPH),
            writes - throttledWrites, counts.withStatus(CallCounts.GRAPH, 429), counts.calls(CallCounts.IDENTITY),
            rss);
        synchronized (this) {
            samples.add(sample);
        }
    }
}
