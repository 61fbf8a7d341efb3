package dev.scimonboard.reliability;

import static dev.scimonboard.devtools.load.Waits.pause;
import static dev.scimonboard.devtools.load.Waits.say;
import static dev.scimonboard.devtools.load.Waits.secondsSince;

import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;


/**
 * The reliability scenario: onboards many accounts through Azurite, the local host and the emulated tenant while
 * the tenant throttles writes, replicates slowly, fails some calls and answers instantiate with a 404 that creates;
 * optionally kills the host (SIGKILL) and restarts Azurite along the way. Then it checks the promises: every
 * onboarding succeeded, one application, one job and one live token per account, nothing in a poison queue, no
 * message left behind, no minted token anywhere it could leak. It prints the figures and exits non-zero when a
 * promise is broken.
 *
 * <pre>
 * scripts/reliability --accounts 300                                   # load with faults
 * scripts/reliability --accounts 300 --kills 10 --restart-azurite      # the same, with crashes
 * </pre>
 */
public final class LoadScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ENDED_TIMEOUT = Duration.ofMinutes(40);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
    /**
     * A killed host's messages come back when their lease ends: ten minutes in Azure, shortened here so the
     * scenario's crashes cost seconds rather than minutes each.
     */
    private static final String MESSAGE_LEASE_SECONDS = "20";

    private final Options options;
    private final Random random;
    private LocalStack stack;
    private EmulatedTenant tenant;
    private OnboardingCaller caller;
    private StatusTable statusTable;

    private LoadScenario(Options options) {
        this.options = options;
        this.random = new Random(options.seed);
    }

    /**
     * Runs the scenario.
     *
     * @param args {@code --accounts N --kills K --restart-azurite --seed S --name NAME}
     * @throws Exception when the scenario cannot run
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        int broken = new LoadScenario(options).run();
        System.exit(broken == 0 ? 0 : 1);
    }

    private int run() throws Exception {
        Instant started = Instant.now();
        start();
        try {
            List<String> accounts = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                groups.add(tenant.addGroup(null, "Load group " + i));
            }
            for (int i = 0; i < options.accounts; i++) {
                String id = HexFormat.of().formatHex(bytes(16));
                tenant.addCloudflareAccount(id, "Load account " + i);
                accounts.add(id);
            }
            tenant.faults()
                .writeLimit(20)
                .replicationDelay(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .transientErrorRate(0.05, 500, 503, 504)
                .instantiateNotFoundRate(0.05);

            say("putting " + accounts.size() + " onboardings");
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<Future<?>> puts = new ArrayList<>();
            for (String accountId : accounts) {
                String body = "{\"groups\":[\"" + groups.get(random.nextInt(groups.size())) + "\"],\"users\":[\""
                    + tenant.addUser(null, "Load user " + accountId.substring(0, 8)) + "\"],\"reference\":\"LOAD-"
                    + accountId.substring(0, 6) + "\"}";
                puts.add(callers.submit(() -> caller.put(accountId, body)));
            }
            Disruptions disruptions = new Disruptions();
            Thread disruptor = new Thread(disruptions, "disruptions");
            disruptor.start();
            for (Future<?> put : puts) {
                put.get();
            }
            callers.shutdown();
            say("all onboardings accepted after " + secondsSince(started));

            Map<String, String> states = statusTable.awaitEnded(accounts, ENDED_TIMEOUT,
                byState -> say("states " + byState + ", tenant faults " + tenant.faultStatistics()));
            disruptions.stop();
            disruptor.join();
            Instant ended = Instant.now();
            say("all onboardings ended after " + secondsSince(started));
            Map<String, Integer> left = awaitDrained();
            return report(accounts, states, left, disruptions, Duration.between(started, ended));
        } finally {
            stop();
        }
    }

    private void start() throws IOException {
        stack = LocalStack.start(options.seed, Map.of("LOCAL_HOST_MESSAGE_LEASE_SECONDS", MESSAGE_LEASE_SECONDS));
        tenant = stack.tenant();
        stack.startHost(List.of());
        caller = new OnboardingCaller(() -> stack.host().baseUri());
        statusTable = new StatusTable(stack::statusTable);
        say("Azurite, emulated tenant and local host " + stack.host().baseUri() + " are up");
    }

    private void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Waits until every step and poison queue is empty (delayed messages included), or the drain timeout. */
    private Map<String, Integer> awaitDrained() {
        Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
        while (true) {
            Map<String, Integer> left = new LinkedHashMap<>();
            for (StepName step : StepName.values()) {
                for (String queue : List.of(step.queueName(), step.poisonQueueName())) {
                    int count = stack.messageCount(queue);
                    if (count > 0) {
                        left.put(queue, count);
                    }
                }
            }
            if (left.isEmpty() || Instant.now().isAfter(deadline)) {
                return left;
            }
            pause(Duration.ofSeconds(2));
        }
    }

    private int report(List<String> accounts, Map<String, String> states, Map<String, Integer> left,
        Disruptions disruptions, Duration elapsed) throws IOException {
        int succeeded = 0;
        int failed = 0;
        int extraApplications = 0;
        int extraJobs = 0;
        int extraLiveTokens = 0;
        int missing = 0;
        long retries = 0;
        long waits = 0;
        List<String> problems = new ArrayList<>();
        Map<String, TableEntity> entities = statusTable.entities();
        for (String accountId : accounts) {
            TableEntity entity = entities.get(accountId);
            if ("succeeded".equals(states.get(accountId))) {
                succeeded++;
            } else {
                failed++;
                problems.add(accountId + " " + states.get(accountId) + ": " + entity.getProperty("error"));
            }
            for (JsonNode entry : JSON.readTree((String) entity.getProperty("history"))) {
                String outcome = entry.path("outcome").asText();
                retries += "retrying".equals(outcome) ? 1 : 0;
                waits += "waiting".equals(outcome) ? 1 : 0;
            }
            String name = (String) entity.getProperty("applicationDisplayName");
            int applications = name == null ? 0 : tenant.applicationsByDisplayName(name).size();
            String servicePrincipalId = (String) entity.getProperty("servicePrincipalId");
            int jobs = servicePrincipalId == null ? 0 : tenant.jobCount(servicePrincipalId);
            int liveTokens = tenant.liveTokens(accountId).size();
            extraApplications += Math.max(0, applications - 1);
            extraJobs += Math.max(0, jobs - 1);
            extraLiveTokens += Math.max(0, liveTokens - 1);
            if (applications == 0 || jobs == 0 || liveTokens == 0) {
                missing++;
                problems.add(accountId + ": applications=" + applications + " jobs=" + jobs + " liveTokens="
                    + liveTokens);
            }
        }
        int leaks = scanForLeaks();
        String hostLog = hostLog();
        long poisoned = hostLog.lines().filter(l -> l.contains("moves to queue") && l.contains("-poison")).count();

        ObjectNode figures = JSON.createObjectNode();
        figures.put("scenario", options.name);
        figures.put("accounts", accounts.size());
        figures.put("seconds", elapsed.toSeconds());
        figures.put("onboardingsPerMinute", Math.round(accounts.size() * 600.0 / Math.max(1, elapsed.toSeconds()))
            / 10.0);
        figures.put("succeeded", succeeded);
        figures.put("failed", failed);
        figures.put("duplicateApplications", extraApplications);
        figures.put("duplicateJobs", extraJobs);
        figures.put("extraLiveTokens", extraLiveTokens);
        figures.put("accountsMissingAPiece", missing);
        figures.put("hostKills", disruptions.kills.get());
        figures.put("azuriteRestarts", disruptions.azuriteRestarts.get());
        figures.put("putRetries", caller.retries());
        figures.put("stepRetries", retries);
        figures.put("stepWaits", waits);
        figures.put("messagesPoisoned", poisoned);
        figures.put("messagesLeft", left.values().stream().mapToInt(Integer::intValue).sum());
        figures.put("mintedTokens", tenant.mintedTokenValues().size());
        figures.put("leakedSecrets", leaks);
        figures.put("graphCalls", tenant.callCounts().calls(CallCounts.GRAPH));
        ObjectNode faults = figures.putObject("injectedFaults");
        tenant.faultStatistics().forEach(faults::put);

        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve(options.name + ".json"), JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(figures));
        Files.writeString(out.resolve(options.name + "-host.log"), hostLog);
        say("figures:\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));

        boolean kept = failed == 0 && extraApplications == 0 && extraJobs == 0 && extraLiveTokens == 0
            && missing == 0 && left.isEmpty() && leaks == 0;
        problems.stream().limit(20).forEach(p -> say("problem: " + p));
        if (!left.isEmpty()) {
            say("messages left: " + left);
        }
        say(kept ? "PROMISES KEPT" : "PROMISES BROKEN");
        return kept ? 0 : 1;
    }

    /** Counts the places where a minted token value appears: queues, status entities, host logs, reports. */
    private int scanForLeaks() throws IOException {
        List<String> places = new ArrayList<>();
        QueueServiceClient queues = stack.queueService();
        for (StepName step : StepName.values()) {
            for (String queue : List.of(step.queueName(), step.poisonQueueName())) {
                try {
                    for (PeekedMessageItem message : queues.getQueueClient(queue).peekMessages(32, null, null)) {
                        places.add(message.getBody().toString());
                    }
                } catch (QueueStorageException e) {
                    if (e.getStatusCode() != 404) {
                        throw e;
                    }
                }
            }
        }
        for (TableEntity entity : statusTable.entities().values()) {
            places.add(entity.getProperties().toString());
        }
        places.add(hostLog());
        for (String reports : List.of("target/surefire-reports", "target/failsafe-reports")) {
            Path dir = Path.of(reports);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        places.add(Files.readString(file, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        int leaks = 0;
        for (String token : tenant.mintedTokenValues()) {
            for (String place : places) {
                if (place.contains(token)) {
                    leaks++;
                }
            }
        }
        return leaks;
    }

    private String hostLog() {
        return stack.hostLog();
    }

    /** Kills the host at random moments, and restarts Azurite once halfway, while onboardings run. */
    private final class Disruptions implements Runnable {
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger azuriteRestarts = new AtomicInteger();
        private volatile boolean stopped;

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            while (!stopped && (kills.get() < options.kills
                || (options.restartAzurite && azuriteRestarts.get() == 0))) {
                pause(Duration.ofMillis(4000 + random.nextInt(8000)));
                if (stopped) {
                    return;
                }
                if (options.restartAzurite && azuriteRestarts.get() == 0 && kills.get() >= options.kills / 2) {
                    say("restarting Azurite (data kept)");
                    stack.azurite().restart();
                    azuriteRestarts.incrementAndGet();
                } else if (kills.get() < options.kills) {
                    say("killing the local host (SIGKILL), kill " + (kills.get() + 1));
                    stack.restartHost();
                    kills.incrementAndGet();
                }
            }
        }
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The command line. */
    private record Options(int accounts, int kills, boolean restartAzurite, long seed, String name) {
        static Options parse(String[] args) {
            int accounts = 300;
            int kills = 0;
            boolean restartAzurite = false;
            long seed = 1;
            String name = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--accounts" -> accounts = Integer.parseInt(args[++i]);
                    case "--kills" -> kills = Integer.parseInt(args[++i]);
                    case "--restart-azurite" -> restartAzurite = true;
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--name" -> name = args[++i];
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --accounts N --kills K --restart-azurite --seed S --name NAME");
                }
            }
            if (name == null) {
                name = kills > 0 || restartAzurite ? "crashes" : "load";
            }
            return new Options(accounts, kills, restartAzurite, seed, name);
        }
    }
}
