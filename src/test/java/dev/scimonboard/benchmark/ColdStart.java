package dev.scimonboard.benchmark;

import static dev.scimonboard.devtools.load.Waits.pause;
import static dev.scimonboard.devtools.load.Waits.say;

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
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures what a new instance costs before it does useful work, and what it ships: the deployment package's size,
 * then, for each of a few runs, a fresh local host JVM against Azurite and the emulated tenant, timed from the
 * process's start to
 *
 * <ul>
 * <li>its ready line (the local host has bound every function);</li>
 * <li>its first HTTP response, a GET of an account never onboarded, which answers a 404 problem;</li>
 * <li>the first Graph call it makes, answered, after a PUT (the create-app step's first call);</li>
 * <li>the create-app step completed, as its status history records it;</li>
 * </ul>
 *
 * <p>and its peak memory by then: resident set (VmHWM) and Java heap in use (GC log and jcmd). The tenant runs
 * without latency, replication delay or limits here, so the times are the app's own; create-app still waits
 * {@code REPLICATION_POLL} (3 s) between creating the application and reading it back, and the local host polls an
 * idle queue up to every 2 s (host.json's maxPollingInterval), both included in its figure.
 *
 * <p>It prints the figures and writes them to {@code target/benchmark/cold-start.json}.
 *
 * <pre>
 * scripts/measure-cold-start            # 5 runs
 * scripts/measure-cold-start --runs 5
 * </pre>
 */
public final class ColdStart {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OUT = Path.of("target", "benchmark");
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STATUS_POLL = Duration.ofMillis(100);
    private static final String NEVER_ONBOARDED = "ffffffffffffffffffffffffffffffff";

    private final Options options;
    private final Random random;

    private ColdStart(Options options) {
        this.options = options;
        this.random = new Random(options.seed);
    }

    /**
     * Measures the package and the cold starts.
     *
     * @param args {@code --runs R --seed S --max-load L --load-checks C --load-wait-seconds W
     *     --host-jvm-option OPTION --name NAME}
     * @throws Exception when the measurement cannot run
     */
    public static void main(String[] args) throws Exception {
        new ColdStart(Options.parse(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(OUT);
        ObjectNode figures = JSON.createObjectNode();
        figures.put("name", options.name);
        figures.put("startedAt", Instant.now().toString());
        PackageSize size = PackageSize.measure(LocalStack.APP, OUT.resolve(LocalStack.APP.getFileName() + ".zip"));
        figures.set("package", size.toJson());

        boolean quiet = Machine.awaitLoadBelow(options.maxLoad, options.loadChecks, options.loadWait);
        figures.set("machineAtStart", Machine.describe());
        figures.put("loadBelowLimitAtStart", quiet);
        figures.put("hostJvmOptions", String.join(" ", options.hostJvmOptions));

        List<ObjectNode> runs = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(options.seed, Map.of(
            "DISCOVERY_SCHEDULE", "0 */15 * * * *",
            "TOKEN_ROTATION_SCHEDULE", "0 0 3 * * *"))) {
            String group = stack.tenant().addGroup(null, "Cold start group");
            for (int run = 1; run <= options.runs; run++) {
                runs.add(measure(stack, run, group));
            }
        }
        ArrayNode runArray = figures.putArray("runs");
        runs.forEach(runArray::add);
        figures.set("median", medians(runs));
        figures.set("machineAtEnd", Machine.describe());

        Path out = OUT.resolve(options.name + ".json");
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        print(figures);
        say("figures written to " + out);
    }

    /** One cold start: a new host process, timed to its first answers, then stopped. */
    private ObjectNode measure(LocalStack stack, int run, String group) throws IOException {
        EmulatedTenant tenant = stack.tenant();
        String accountId = HexFormat.of().formatHex(bytes());
        tenant.addCloudflareAccount(accountId, "Cold start account " + run);
        String user = tenant.addUser(null, "Cold start user " + run);
        AtomicReference<Instant> firstGraphAnswer = new AtomicReference<>();
        tenant.observeCalls(call -> {
            if (CallCounts.GRAPH.equals(call.service())) {
                firstGraphAnswer.compareAndSet(null, Instant.now());
            }
        });
        Path gcLog = OUT.resolve(options.name + "-" + run + "-gc.log");
        Files.deleteIfExists(gcLog);
        List<String> jvmOptions = new ArrayList<>(options.hostJvmOptions);
        jvmOptions.add(GcLog.option(gcLog));
        String loadAverage = Machine.loadAverage();

        Instant started = Instant.now();
        LocalHostProcess host = stack.startHost(jvmOptions);
        try {
            Instant ready = Instant.now();
            OnboardingCaller caller = new OnboardingCaller(host::baseUri);
            HttpResponse<String> unknown = caller.get(NEVER_ONBOARDED);
            Instant firstResponse = Instant.now();
            if (unknown.statusCode() != 404) {
                throw new IllegalStateException("GET of an account never onboarded answered " + unknown.statusCode()
                    + ", not 404: " + unknown.body());
            }
            Instant accepted = caller.put(accountId, "{\"groups\":[\"" + group + "\"],\"users\":[\"" + user
                + "\"]}");
            Instant createApp = awaitCreateApp(new StatusTable(stack::statusTable), accountId);
            OptionalLong heap = ProcessMemory.heapUsedKib(host.pid());
            ProcessMemory memory = ProcessMemory.read(host.pid()).orElse(new ProcessMemory(-1, -1));
            GcLog gc = GcLog.read(gcLog);

            ObjectNode json = JSON.createObjectNode();
            json.put("run", run);
            json.put("loadAverage", loadAverage);
            json.put("secondsToReady", seconds(started, ready));
            json.put("secondsToFirstHttpResponse", seconds(started, firstResponse));
            json.put("secondsToPutAccepted", seconds(started, accepted));
            json.put("secondsToFirstGraphCallAnswered", firstGraphAnswer.get() == null ? -1
                : seconds(started, firstGraphAnswer.get()));
            json.put("secondsToCreateAppCompleted", seconds(started, createApp));
            json.put("secondsFromPutToFirstGraphCallAnswered", firstGraphAnswer.get() == null ? -1
                : seconds(accepted, firstGraphAnswer.get()));
            json.put("secondsFromPutToCreateAppCompleted", seconds(accepted, createApp));
            json.put("peakRssMiB", ProcessMemory.mib(memory.peakRssKib()));
            json.put("peakHeapUsedMiB", ProcessMemory.mib(Math.max(gc.peakUsedKib(), heap.orElse(0))));
            json.put("heapUsedAtEndMiB", heap.isPresent() ? ProcessMemory.mib(heap.getAsLong()) : -1);
            json.set("gc", gc.toJson());
            say("cold start " + run + ": ready " + json.path("secondsToReady") + " s, first response "
                + json.path("secondsToFirstHttpResponse") + " s, first Graph call answered "
                + json.path("secondsToFirstGraphCallAnswered") + " s, create-app completed "
                + json.path("secondsToCreateAppCompleted") + " s, peak RSS " + json.path("peakRssMiB") + " MiB");
            return json;
        } finally {
            tenant.observeCalls(null);
            stack.stopHost();
        }
    }

    /** Reads the account's status until its history records create-app completed; answers when it did. */
    private static Instant awaitCreateApp(StatusTable statusTable, String accountId) {
        Instant deadline = Instant.now().plus(STEP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            TableEntity entity = statusTable.entities().get(accountId);
            if (entity != null) {
                try {
                    for (JsonNode entry : JSON.readTree((String) entity.getProperty("history"))) {
                        if (StepName.CREATE_APPLICATION.queueName().equals(entry.path("step").asText())
                            && "completed".equals(entry.path("outcome").asText())) {
                            return StepBreakdown.instant(entry.path("at"));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable history of " + accountId, e);
                }
            }
            pause(STATUS_POLL);
        }
        throw new IllegalStateException("create-app did not complete within " + STEP_TIMEOUT);
    }

    private static ObjectNode medians(List<ObjectNode> runs) {
        ObjectNode json = JSON.createObjectNode();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (ObjectNode run : runs) {
            run.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber() && !"run".equals(field.getKey())) {
                    values.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).add(field.getValue().asDouble());
                }
            });
        }
        values.forEach((name, list) -> json.put(name, Distribution.round(Distribution.of(list).p50())));
        return json;
    }

    private static void print(ObjectNode figures) {
        JsonNode size = figures.path("package");
        JsonNode median = figures.path("median");
        StringBuilder text = new StringBuilder("figures:\n");
        text.append(String.format(Locale.ROOT, "  %-40s %s MiB zipped, %s files, %s MiB unzipped%n", "package",
            size.path("zippedMiB"), size.path("files"), size.path("unzippedMiB")));
        text.append(String.format(Locale.ROOT, "  %-40s %s jars, %s MiB%n", "lib/", size.path("libJars"),
            size.path("libJarsMiB")));
        for (JsonNode jar : size.path("largestJars")) {
            text.append(String.format(Locale.ROOT, "    %-66s %6.2f MiB%n", jar.path("name").asText(),
                jar.path("MiB").asDouble()));
        }
        text.append(String.format(Locale.ROOT, "  %-40s %s%n", "cold start runs (median of "
            + figures.path("runs").size() + ")", "load average at start " + figures.path("machineAtStart")
            .path("loadAverage").asText()));
        median.fields().forEachRemaining(field -> text.append(String.format(Locale.ROOT, "  %-40s %s%n",
            "  " + field.getKey(), field.getValue())));
        System.out.print(text);
    }

    private byte[] bytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** The command line. */
    private record Options(int runs, long seed, double maxLoad, int loadChecks, Duration loadWait,
        List<String> hostJvmOptions, String name) {
        static Options parse(String[] args) {
            int runs = 5;
            long seed = 1;
            double maxLoad = 1.5;
            int loadChecks = 10;
            long loadWaitSeconds = 30;
            List<String> jvmOptions = new ArrayList<>();
            String name = "cold-start";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--max-load" -> maxLoad = Double.parseDouble(args[++i]);
                    case "--load-checks" -> loadChecks = Integer.parseInt(args[++i]);
                    case "--load-wait-seconds" -> loadWaitSeconds = Long.parseLong(args[++i]);
                    case "--host-jvm-option" -> jvmOptions.add(args[++i]);
                    case "--name" -> name = args[++i];
                    default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --runs R"
                        + " --seed S --max-load L --load-checks C --load-wait-seconds W --host-jvm-option OPTION"
                        + " --name NAME");
                }
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1");
            }
            return new Options(runs, seed, maxLoad, loadChecks, Duration.ofSeconds(loadWaitSeconds),
                List.copyOf(jvmOptions), name);
        }
    }
}
