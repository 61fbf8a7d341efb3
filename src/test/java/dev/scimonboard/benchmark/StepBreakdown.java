package dev.scimonboard.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.pipeline.StepName;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the onboardings' time goes, step by step, read from their status documents' histories: how long each step
 * took from the previous step's completion (the PUT's acceptance for the first) to its own, queue waits and retries
 * included, and how often each step waited or retried, and why.
 *
 * <p>A history keeps its newest {@value Benchmark#HISTORY_KEPT} entries only; an account whose history is full may
 * have lost its first entries, so its step times are left out and {@link #truncated()} counts it.
 */
final class StepBreakdown {
    private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
    private int truncated;

    StepBreakdown() {
        for (StepName step : StepName.values()) {
            seconds.put(step.queueName(), new ArrayList<>());
            outcomes.put(step.queueName(), new TreeMap<>());
        }
    }

    /**
     * Adds one onboarding.
     *
     * @param accepted when its PUT was accepted
     * @param history its history entries, oldest first
     */
    void add(Instant accepted, JsonNode history) {
        boolean complete = history.size() < Benchmark.HISTORY_KEPT;
        if (!complete) {
            truncated++;
        }
        Instant previous = accepted;
        for (JsonNode entry : history) {
            String step = entry.path("step").asText();
            String outcome = entry.path("outcome").asText();
            if ("retrying".equals(outcome)) {
                outcome = "retrying: " + cause(entry.path("detail").asText());
            }
            outcomes.computeIfAbsent(step, s -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
            if ("completed".equals(entry.path("outcome").asText())) {
                Instant at = instant(entry.path("at"));
                if (complete && previous != null) {
                    seconds.computeIfAbsent(step, s -> new ArrayList<>())
                        .add(Duration.between(previous, at).toMillis() / 1000.0);
                }
                previous = at;
            }
        }
    }

    /**
     * How many onboardings had a full history, whose step times were left out.
     *
     * @return the count
     */
    int truncated() {
        return truncated;
    }

    /**
     * Per step: the distribution of its time and its history entries by outcome.
     *
     * @return {@code {step: {seconds: {...}, entries: {completed, waiting, retrying: 429, ...}}}}
     */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        seconds.forEach((step, values) -> {
            ObjectNode entry = json.putObject(step);
            entry.set("seconds", Distribution.of(values).toJson());
            ObjectNode counts = entry.putObject("entries");
            outcomes.getOrDefault(step, Map.of()).forEach(counts::put);
        });
        return json;
    }

    /** Why a step was retried, from the reason in its history entry. */
    private static String cause(String detail) {
        if (detail.contains(" 429 ")) {
            return "429";
        }
        if (detail.contains("replicat")) {
            return "replication";
        }
        if (detail.matches(".* 5\\d\\d .*")) {
            return "5xx";
        }
        return "other";
    }

    /** A history time: ISO text, or seconds since the epoch as Jackson writes an Instant by default. */
    static Instant instant(JsonNode at) {
        if (at.isNumber()) {
            BigDecimal secondsSinceEpoch = at.decimalValue();
            long whole = secondsSinceEpoch.longValue();
            long nanos = secondsSinceEpoch.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        }
        return Instant.parse(at.asText());
    }
}
