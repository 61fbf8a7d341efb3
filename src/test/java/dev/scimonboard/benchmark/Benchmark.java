package dev.scimonboard.benchmark;

import static dev.scimonboard.devtools.load.Waits.say;
import static dev.scimonboard.devtools.load.Waits.secondsSince;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.devtools.host.LocalHostProcess;
import dev.scimonboard.devtools.load.LocalStack;
import dev.scimonboard.devtools.load.OnboardingCaller;
import dev.scimonboard.devtools.load.StatusTable;
import dev.scimonboard.devtools.tenant.CallCounts;
import dev.scimonboard.devtools.tenant.EmulatedTenant;
import dev.scimonboard.pipeline.StepName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The throughput benchmark: many onboardings through Azurite, the local host (a child JVM) and the emulated tenant
 * with realistic Graph latency, replication delay and Graph's write limit, and, in the same run and before it, the
 * same work done one account after another by {@link SequentialBaseline} over a sample of accounts, against the same
 * tenant with the same faults. The two never overlap, so they never share the write budget.
 *
 * <p>It prints the figures and writes them to {@code target/benchmark/<name>.json}, with the host's log and GC log
 * beside them; it exits non-zero when an onboarding failed. See docs/performance.md.
 *
 * <pre>
 * scripts/benchmark                                   # 500 onboardings, baseline over 25
 * scripts/benchmark --accounts 40 --baseline-accounts 5
 * </pre>
 */
public final class Benchmark {
    /** How often the baseline polls for a new service principal; Microsoft advises 5 to 10 s, so 1 s favours it. */
    static final Duration DEFAULT_BASELINE_POLL = Duration.ofSeconds(1);
    /**
     * Graph's write budget for one app in one tenant: 3,000 writes per 2.5 minutes, which the emulated tenant
     * enforces as 20 writes in any one second.
     */
    static final int WRITE_BUDGET_PER_SECOND = 20;
    /** Graph latency per call, drawn uniformly from this range. */
    static final Duration LATENCY_MIN = Duration.ofMillis(50);
    /** Graph latency per call, drawn uniformly from this range. */
    static final Duration LATENCY_MAX = Duration.ofMillis(300);
    /** How long a new object stays invisible, drawn uniformly from this range. */
    static final Duration REPLICATION_MIN = Duration.ofSeconds(1);
    /** How long a new object stays invisible, drawn uniformly from this range. */
    static final Duration REPLICATION_MAX = Duration.ofSeconds(5);
    /** Groups in the directory; each onboarding assigns one of them and one user of its own. */
    static final int GROUPS = 20;
    /** Groups and users each onboarding assigns. */
    static final int PRINCIPALS = 2;
    /** Threads that send the PUTs, as a ticketing system's workers would. */
    static final int CALLERS = 8;
    /** The window over which the peak write rate is reported. */
    static final Duration PEAK_WINDOW = Duration.ofMinutes(1);
    /** A status document keeps this many history entries; older ones are dropped. */
    static final int HISTORY_KEPT = 40;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OUT = Path.of("target", "benchmark");
    private static final Duration ENDED_TIMEOUT = Duration.ofMinutes(60);
    private static final Duration BASELINE_TIMEOUT_PER_ACCOUNT = Duration.ofMinutes(3);
    private static final Duration PUT_TIMEOUT = Duration.ofMinutes(10);
    private static final double SECONDS_PER_MINUTE = 60.0;

    private final Options options;
    private final Random random;
    private LocalStack stack;
    private EmulatedTenant tenant;
    private List<String> groups;

    private Benchmark(Options options) {
        this.options = options;
        this.random = new Random(options.seed);
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --accounts N --baseline-accounts B --baseline-poll-ms MS --seed S --max-load L
     *     --load-checks C --load-wait-seconds W --host-jvm-option OPTION --name NAME}
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        boolean ok = new Benchmark(options).run();
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws Exception {
        Files.createDirectories(OUT);
        boolean quiet = Machine.awaitLoadBelow(options.maxLoad, options.loadChecks, options.loadWait);
        ObjectNode figures = JSON.createObjectNode();
        figures.put("name", options.name);
        figures.put("startedAt", Instant.now().toString());
        figures.set("machineAtStart", Machine.describe());
        figures.put("loadBelowLimitAtStart", quiet);
        figures.set("settings", settingsJson());

        stack = LocalStack.start(options.seed, Map.of(
            "DISCOVERY_SCHEDULE", "0 */15 * * * *",
            "TOKEN_ROTATION_SCHEDULE", "0 0 3 * * *"));
        try {
            tenant = stack.tenant();
            List<Account> pipelineAccounts = accounts(options.accounts, "Benchmark account");
            List<Account> baselineAccounts = accounts(options.baselineAccounts, "Baseline account");
            tenant.faults()
                .latency(LATENCY_MIN, LATENCY_MAX)
                .replicationDelay(REPLICATION_MIN, REPLICATION_MAX)
                .writeLimit(WRITE_BUDGET_PER_SECOND);

            ObjectNode baseline = baselineAccounts.isEmpty() ? null : runBaseline(baselineAccounts);
            ObjectNode pipeline = runPipeline(pipelineAccounts);
            figures.set("pipeline", pipeline);
            if (baseline != null) {
                figures.set("baseline", baseline);
                double ratio = pipeline.path("onboardingsPerMinute").asDouble()
                    / Math.max(1e-9, baseline.path("onboardingsPerMinute").asDouble());
                figures.put("throughputRatioPipelineToBaseline", round1(ratio));
            }
            figures.set("machineAtEnd", Machine.describe());
            figures.set("targets", targets(figures));
        } finally {
            stack.close();
        }

        Path out = OUT.resolve(options.name + ".json");
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        printSummary(figures);
        say("figures written to " + out);
        boolean ok = figures.path("pipeline").path("failed").asInt() == 0
            && figures.path("baseline").path("failed").asInt(0) == 0;
        say(ok ? "BENCHMARK COMPLETE: no onboarding failed" : "BENCHMARK COMPLETE WITH FAILED ONBOARDINGS");
        return ok;
    }

    // ---- preparation ----

    /** One account to onboard and the principals to assign to it. */
    private record Account(String accountId, List<String> principals) {
        String body() {
            return "{\"groups\":[\"" + principals.get(0) + "\"],\"users\":[\"" + principals.get(1)
                + "\"],\"reference\":\"BENCH-" + accountId.substring(0, 6) + "\"}";
        }
    }

    private List<Account> accounts(int count, String namePrefix) {
        if (groups == null) {
            groups = new ArrayList<>();
            for (int i = 0; i < GROUPS; i++) {
                groups.add(tenant.addGroup(null, "Benchmark group " + i));
            }
        }
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            tenant.addCloudflareAccount(id, namePrefix + " " + i);
            String user = tenant.addUser(null, namePrefix + " user " + i);
            accounts.add(new Account(id, List.of(groups.get(random.nextInt(groups.size())), user)));
        }
        return accounts;
    }

    // ---- baseline ----

    /** Runs the sequential baseline in its own JVM over the sample, and reads what it and the tenant measured. */
    private ObjectNode runBaseline(List<Account> accounts) throws IOException, InterruptedException {
        say("sequential baseline: " + accounts.size() + " accounts, one after another, in a child JVM");
        Path plan = OUT.resolve(options.name + "-baseline-plan.json");
        Path result = OUT.resolve(options.name + "-baseline-result.json");
        Path log = OUT.resolve(options.name + "-baseline.log");
        ObjectNode planJson = JSON.createObjectNode();
        ArrayNode planAccounts = planJson.putArray("accounts");
        for (Account account : accounts) {
            ObjectNode entry = planAccounts.addObject().put("accountId", account.accountId());
            account.principals().forEach(entry.putArray("principals")::add);
        }
        Files.writeString(plan, JSON.writeValueAsString(planJson));
        Files.deleteIfExists(result);

        CallCounts before = tenant.callCounts();
        ProcessBuilder builder = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            SequentialBaseline.class.getName(),
            "--plan", plan.toString(), "--out", result.toString(),
            "--poll-ms", Long.toString(options.baselinePoll.toMillis())))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(stack.hostSettings());
        Process process = builder.start();
        Duration timeout = BASELINE_TIMEOUT_PER_ACCOUNT.multipliedBy(accounts.size()).plusMinutes(1);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the baseline did not end within " + timeout + "; see " + log);
        }
        if (process.exitValue() != 0 || !Files.exists(result)) {
            throw new IllegalStateException("the baseline exited with " + process.exitValue() + "; see " + log);
        }
        CallCounts calls = tenant.callCounts().minus(before);

        JsonNode outcome = JSON.readTree(result.toFile());
        List<Double> seconds = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        int failed = 0;
        long replicationRetries = 0;
        for (JsonNode account : outcome.path("accounts")) {
            seconds.add(account.path("seconds").asDouble());
            Instant started = Instant.parse(account.path("startedAt").asText());
            Instant ended = Instant.parse(account.path("endedAt").asText());
            first = first == null || started.isBefore(first) ? started : first;
            last = last == null || ended.isAfter(last) ? ended : last;
            failed += account.path("succeeded").asBoolean() ? 0 : 1;
            replicationRetries += account.path("replicationRetries").asLong();
        }
        double wall = Duration.between(first, last).toMillis() / 1000.0;

        ObjectNode json = JSON.createObjectNode();
        json.put("accounts", accounts.size());
        json.put("note", "sequential, one account after another, on a sample of " + accounts.size()
            + " accounts; throughput = accounts / (last account's end - first account's start), excluding the"
            + " JVM's start and sign-in");
        json.put("failed", failed);
        json.put("seconds", round1(wall));
        json.put("onboardingsPerMinute", round1(accounts.size() * SECONDS_PER_MINUTE / wall));
        json.set("secondsPerAccount", Distribution.of(seconds).toJson());
        json.put("replicationRetries", replicationRetries);
        json.put("pollIntervalMillis", options.baselinePoll.toMillis());
        json.set("calls", callFigures(calls, accounts.size(), wall));
        say("baseline: " + accounts.size() + " accounts in " + round1(wall) + " s, " + failed + " failed");
        return json;
    }

    // ---- pipeline ----

    /** Starts the host, PUTs every onboarding, waits until all have ended, and measures. */
    private ObjectNode runPipeline(List<Account> accounts) throws Exception {
        Path gcLog = OUT.resolve(options.name + "-host-gc.log");
        Files.deleteIfExists(gcLog);
        List<String> jvmOptions = new ArrayList<>(options.hostJvmOptions);
        jvmOptions.add(GcLog.option(gcLog));
        LocalHostProcess host = stack.startHost(jvmOptions);
        say("local host " + host.baseUri() + " is up (pid " + host.pid() + "); putting " + accounts.size()
            + " onboardings");
        OnboardingCaller caller = new OnboardingCaller(host::baseUri);
        StatusTable statusTable = new StatusTable(stack::statusTable);

        CallCounts before = tenant.callCounts();
        Map<String, Instant> accepted = new ConcurrentHashMap<>();
        Instant started;
        Map<String, String> states;
        OptionalLong heapAtEnd;
        ProcessMemory memoryAtEnd;
        try (LoadTimeline timeline = new LoadTimeline(tenant, host.pid())) {
            started = Instant.now();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> puts = new ArrayList<>();
            for (Account account : accounts) {
                puts.add(callers.submit(() -> accepted.put(account.accountId(),
                    caller.put(account.accountId(), account.body()))));
            }
            for (Future<?> put : puts) {
                put.get(PUT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            callers.shutdown();
            say("all onboardings accepted after " + secondsSince(started));
            states = statusTable.awaitEnded(accounts.stream().map(Account::accountId).toList(), ENDED_TIMEOUT,
                byState -> say("states " + byState + ", tenant faults " + tenant.faultStatistics()));
            say("all onboardings ended after " + secondsSince(started));
            heapAtEnd = ProcessMemory.heapUsedKib(host.pid());
            memoryAtEnd = ProcessMemory.read(host.pid()).orElse(new ProcessMemory(-1, -1));
            timeline.close();
            CallCounts calls = tenant.callCounts().minus(before);
            return pipelineFigures(accounts, accepted, states, started, calls, timeline,
                memory(memoryAtEnd, heapAtEnd, GcLog.read(gcLog), timeline), statusTable, caller);
        } finally {
            stack.stopHost();
            Files.writeString(OUT.resolve(options.name + "-host.log"), stack.hostLog(), StandardCharsets.UTF_8);
        }
    }

    private ObjectNode pipelineFigures(List<Account> accounts, Map<String, Instant> accepted,
        Map<String, String> states, Instant started, CallCounts calls, LoadTimeline timeline, ObjectNode memory,
        StatusTable statusTable, OnboardingCaller caller) throws IOException {
        Map<String, TableEntity> entities = statusTable.entities();
        List<Double> latencies = new ArrayList<>();
        Instant lastEnded = started;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        StepBreakdown steps = new StepBreakdown();
        for (Account account : accounts) {
            TableEntity entity = entities.get(account.accountId());
            Instant updated = Instant.parse((String) entity.getProperty("updatedAt"));
            lastEnded = updated.isAfter(lastEnded) ? updated : lastEnded;
            if ("succeeded".equals(states.get(account.accountId()))) {
                latencies.add(Duration.between(accepted.get(account.accountId()), updated).toMillis() / 1000.0);
            } else {
                failed++;
                failures.add(account.accountId() + ": " + entity.getProperty("error"));
            }
            steps.add(accepted.get(account.accountId()), JSON.readTree((String) entity.getProperty("history")));
        }
        double busy = Duration.between(started, lastEnded).toMillis() / 1000.0;

        ObjectNode json = JSON.createObjectNode();
        json.put("accounts", accounts.size());
        json.put("principalsPerOnboarding", PRINCIPALS);
        json.put("succeeded", accounts.size() - failed);
        json.put("failed", failed);
        ArrayNode failureList = json.putArray("failures");
        failures.stream().limit(20).forEach(failureList::add);
        json.put("busySeconds", round1(busy));
        json.put("busyPeriod", "from the first PUT sent to the last onboarding's success (its status updatedAt)");
        json.put("onboardingsPerMinute", round1(accounts.size() * SECONDS_PER_MINUTE / busy));
        json.set("secondsFromAcceptedToSucceeded", Distribution.of(latencies).toJson());
        json.set("calls", callFigures(calls, accounts.size(), busy));
        long admitted = calls.writes(CallCounts.GRAPH) - throttledWrites(calls);
        json.put("writeBudgetShareOverBusyPeriod", round3(admitted / busy / WRITE_BUDGET_PER_SECOND));
        double peak = timeline.peakWriteRate(PEAK_WINDOW);
        if (Double.isNaN(peak)) {
            json.putNull("writeBudgetShareInBusiestMinute");
        } else {
            json.put("writeBudgetShareInBusiestMinute", round3(peak / WRITE_BUDGET_PER_SECOND));
        }
        json.put("putRetries", caller.retries());
        json.set("steps", steps.toJson());
        json.put("historiesTruncated", steps.truncated());
        json.set("faults", JSON.valueToTree(tenant.faultStatistics()));
        json.set("hostMemory", memory);
        json.set("poisonQueueMessages", poisonCounts());
        json.set("timeline", timeline.toJson());
        say("pipeline: " + accounts.size() + " onboardings in " + round1(busy) + " s, " + failed + " failed");
        return json;
    }

    /** Requests and writes per onboarding, with the minimum and a breakdown by operation. */
    private ObjectNode callFigures(CallCounts calls, int onboardings, double seconds) {
        ObjectNode json = JSON.createObjectNode();
        long graph = calls.calls(CallCounts.GRAPH);
        long writes = calls.writes(CallCounts.GRAPH);
        long throttled = calls.withStatus(CallCounts.GRAPH, 429);
        long throttledWrites = throttledWrites(calls);
        json.put("graphRequests", graph);
        json.put("graphWrites", writes);
        json.put("graphWritesAdmitted", writes - throttledWrites);
        json.put("graph429", throttled);
        json.put("graph404", calls.withStatus(CallCounts.GRAPH, 404));
        json.put("graphRequestsPerOnboarding", round2((double) graph / onboardings));
        json.put("graphRequestsPerOnboardingExcluding429", round2((double) (graph - throttled) / onboardings));
        json.put("graphWritesPerOnboarding", round2((double) writes / onboardings));
        json.put("graphWritesAdmittedPerOnboarding", round2((double) (writes - throttledWrites) / onboardings));
        json.put("minimumGraphRequestsPerOnboarding", MinimumCalls.graphRequests(PRINCIPALS));
        json.put("minimumGraphWritesPerOnboarding", MinimumCalls.graphWrites(PRINCIPALS));
        json.put("graphWritesAdmittedPerSecond", round2((writes - throttledWrites) / seconds));
        json.put("cloudflareRequests", calls.calls(CallCounts.CLOUDFLARE));
        json.put("cloudflareRequestsPerOnboarding", round2((double) calls.calls(CallCounts.CLOUDFLARE) / onboardings));
        json.put("minimumCloudflareRequestsPerOnboarding", MinimumCalls.cloudflareCalls());
        json.put("identityRequests", calls.calls(CallCounts.IDENTITY));
        ObjectNode byOperation = json.putObject("graphPerOnboardingByOperation");
        calls.byOperation(CallCounts.GRAPH).forEach((operation, count) ->
            byOperation.put(operation, round2((double) count / onboardings)));
        ObjectNode cloudflare = json.putObject("cloudflarePerOnboardingByOperation");
        calls.byOperation(CallCounts.CLOUDFLARE).forEach((operation, count) ->
            cloudflare.put(operation, round2((double) count / onboardings)));
        return json;
    }

    private static long throttledWrites(CallCounts calls) {
        return calls.count(k -> CallCounts.GRAPH.equals(k.service()) && k.write() && k.status() == 429);
    }

    /** The host's peak memory: resident set (VmHWM) and Java heap in use (GC log peaks, jcmd at the end). */
    private static ObjectNode memory(ProcessMemory atEnd, OptionalLong heapAtEnd, GcLog gc, LoadTimeline timeline) {
        ObjectNode json = JSON.createObjectNode();
        long sampledPeak = timeline.samples().stream().mapToLong(LoadTimeline.Sample::rssKib).max().orElse(-1);
        json.put("peakRssMiB", ProcessMemory.mib(Math.max(atEnd.peakRssKib(), sampledPeak)));
        json.put("rssAtEndMiB", ProcessMemory.mib(atEnd.rssKib()));
        long heapEnd = heapAtEnd.orElse(0);
        json.put("peakHeapUsedMiB", ProcessMemory.mib(Math.max(gc.peakUsedKib(), heapEnd)));
        json.put("heapUsedAtEndMiB", heapAtEnd.isPresent() ? ProcessMemory.mib(heapEnd) : -1);
        json.set("gc", gc.toJson());
        json.put("source", "peak RSS: /proc/<pid>/status VmHWM (and 1 s VmRSS samples); peak heap: the largest"
            + " heap-in-use before a collection in the -Xlog:gc log, or jcmd GC.heap_info at the end if larger");
        return json;
    }

    private ObjectNode poisonCounts() {
        ObjectNode json = JSON.createObjectNode();
        for (StepName step : StepName.values()) {
            int count = stack.messageCount(step.poisonQueueName());
            if (count != 0) {
                json.put(step.poisonQueueName(), count);
            }
        }
        return json;
    }

    // ---- report ----

    private ObjectNode settingsJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("accounts", options.accounts);
        json.put("baselineAccounts", options.baselineAccounts);
        json.put("principalsPerOnboarding", PRINCIPALS);
        json.put("graphLatencyMillis", LATENCY_MIN.toMillis() + ".." + LATENCY_MAX.toMillis() + " uniform");
        json.put("replicationSeconds", REPLICATION_MIN.toSeconds() + ".." + REPLICATION_MAX.toSeconds() + " uniform");
        json.put("writeLimitPerSecond", WRITE_BUDGET_PER_SECOND);
        json.put("putCallers", CALLERS);
        json.put("seed", options.seed);
        json.put("hostJvmOptions", String.join(" ", options.hostJvmOptions));
        return json;
    }

    private static ObjectNode targets(ObjectNode figures) {
        JsonNode pipeline = figures.path("pipeline");
        ObjectNode json = JSON.createObjectNode();
        json.put("writeBudgetShareAtLeast0.8WithNoFailure",
            pipeline.path("writeBudgetShareOverBusyPeriod").asDouble() >= 0.8 && pipeline.path("failed").asInt() == 0);
        if (figures.has("throughputRatioPipelineToBaseline")) {
            json.put("atLeast10TimesBaseline", figures.path("throughputRatioPipelineToBaseline").asDouble() >= 10);
        }
        JsonNode calls = pipeline.path("calls");
        json.put("graphRequestsWithinTwoOfMinimum", calls.path("graphRequestsPerOnboarding").asDouble()
            <= calls.path("minimumGraphRequestsPerOnboarding").asDouble() + 2);
        json.put("peakRssWithin512MiB", pipeline.path("hostMemory").path("peakRssMiB").asDouble() <= 512);
        return json;
    }

    private static void printSummary(ObjectNode figures) {
        JsonNode pipeline = figures.path("pipeline");
        JsonNode calls = pipeline.path("calls");
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("machine", figures.path("machineAtStart").path("processors").asText() + " processors, "
            + figures.path("machineAtStart").path("memoryGiB").asText() + " GiB, load average at start "
            + figures.path("machineAtStart").path("loadAverage").asText() + ", at end "
            + figures.path("machineAtEnd").path("loadAverage").asText());
        lines.put("onboardings (N)", pipeline.path("accounts").asText() + " (" + pipeline.path("failed").asText()
            + " failed)");
        lines.put("onboardings per minute", pipeline.path("onboardingsPerMinute").asText() + " (busy period "
            + pipeline.path("busySeconds").asText() + " s)");
        lines.put("Graph requests per onboarding", calls.path("graphRequestsPerOnboarding").asText() + " (minimum "
            + calls.path("minimumGraphRequestsPerOnboarding").asText() + "; without 429s "
            + calls.path("graphRequestsPerOnboardingExcluding429").asText() + ")");
        lines.put("Graph writes per onboarding", calls.path("graphWritesPerOnboarding").asText() + " (admitted "
            + calls.path("graphWritesAdmittedPerOnboarding").asText() + ", minimum "
            + calls.path("minimumGraphWritesPerOnboarding").asText() + ")");
        lines.put("write budget used", percent(pipeline.path("writeBudgetShareOverBusyPeriod").asDouble())
            + " over the busy period (" + calls.path("graphWritesAdmittedPerSecond").asText() + " writes/s of "
            + WRITE_BUDGET_PER_SECOND + "); busiest minute " + (pipeline.path("writeBudgetShareInBusiestMinute")
            .isNumber() ? percent(pipeline.path("writeBudgetShareInBusiestMinute").asDouble())
            : "n/a (the run was shorter than a minute)"));
        lines.put("429s received", calls.path("graph429").asText());
        JsonNode latency = pipeline.path("secondsFromAcceptedToSucceeded");
        lines.put("PUT (202) to succeeded", String.format(Locale.ROOT, "p50 %.1f s, p95 %.1f s, max %.1f s",
            latency.path("p50").asDouble(), latency.path("p95").asDouble(), latency.path("max").asDouble()));
        lines.put("Cloudflare requests per onboarding", calls.path("cloudflareRequestsPerOnboarding").asText()
            + " (minimum " + calls.path("minimumCloudflareRequestsPerOnboarding").asText() + ")");
        JsonNode memory = pipeline.path("hostMemory");
        lines.put("host peak memory", "RSS " + memory.path("peakRssMiB").asText() + " MiB, heap in use "
            + memory.path("peakHeapUsedMiB").asText() + " MiB");
        JsonNode baseline = figures.path("baseline");
        if (!baseline.isMissingNode()) {
            JsonNode perAccount = baseline.path("secondsPerAccount");
            lines.put("baseline (sample)", baseline.path("accounts").asText() + " accounts sequentially: "
                + baseline.path("onboardingsPerMinute").asText() + " onboardings per minute; per account "
                + String.format(Locale.ROOT, "p50 %.1f s, p95 %.1f s, max %.1f s", perAccount.path("p50").asDouble(),
                perAccount.path("p95").asDouble(), perAccount.path("max").asDouble()) + "; "
                + baseline.path("calls").path("graphRequestsPerOnboarding").asText()
                + " Graph requests per onboarding");
            lines.put("baseline throughput", "computed on the sample only: accounts / time from the first account's"
                + " start to the last account's end");
            lines.put("pipeline / baseline", figures.path("throughputRatioPipelineToBaseline").asText() + "x");
        }
        lines.put("time in each step", "from the previous step's completion (the 202 for create-app), queue waits"
            + " and retries included:");
        pipeline.path("steps").fields().forEachRemaining(step -> lines.put("  " + step.getKey(),
            String.format(Locale.ROOT, "mean %.1f s, p95 %.1f s; history entries %s",
                step.getValue().path("seconds").path("mean").asDouble(),
                step.getValue().path("seconds").path("p95").asDouble(), step.getValue().path("entries"))));
        StringBuilder text = new StringBuilder("figures:\n");
        lines.forEach((name, value) -> text.append(String.format(Locale.ROOT, "  %-36s %s%n", name, value)));
        System.out.print(text);
        say("Graph calls per onboarding by operation and status: " + calls.path("graphPerOnboardingByOperation"));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The command line. */
    private record Options(int accounts, int baselineAccounts, Duration baselinePoll, long seed, double maxLoad,
        int loadChecks, Duration loadWait, List<String> hostJvmOptions, String name) {
        static Options parse(String[] args) {
            int accounts = 500;
            int baselineAccounts = 25;
            long pollMillis = DEFAULT_BASELINE_POLL.toMillis();
            long seed = 1;
            double maxLoad = 1.5;
            int loadChecks = 10;
            long loadWaitSeconds = 30;
            List<String> jvmOptions = new ArrayList<>();
            String name = "benchmark";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--accounts" -> accounts = Integer.parseInt(args[++i]);
                    case "--baseline-accounts" -> baselineAccounts = Integer.parseInt(args[++i]);
                    case "--baseline-poll-ms" -> pollMillis = Long.parseLong(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--max-load" -> maxLoad = Double.parseDouble(args[++i]);
                    case "--load-checks" -> loadChecks = Integer.parseInt(args[++i]);
                    case "--load-wait-seconds" -> loadWaitSeconds = Long.parseLong(args[++i]);
                    case "--host-jvm-option" -> jvmOptions.add(args[++i]);
                    case "--name" -> name = args[++i];
                    default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --accounts N"
                        + " --baseline-accounts B --baseline-poll-ms MS --seed S --max-load L --load-checks C"
                        + " --load-wait-seconds W --host-jvm-option OPTION --name NAME");
                }
            }
            if (accounts < 1 || baselineAccounts < 0) {
                throw new IllegalArgumentException("--accounts must be at least 1 and --baseline-accounts at least 0");
            }
            return new Options(accounts, baselineAccounts, Duration.ofMillis(pollMillis), seed, maxLoad, loadChecks,
                Duration.ofSeconds(loadWaitSeconds), List.copyOf(jvmOptions), name);
        }
    }
}
