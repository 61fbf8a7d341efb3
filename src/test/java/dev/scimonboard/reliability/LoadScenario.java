package dev.scimonboard.reliability;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.devtools.host.AzuriteProcess;
import dev.scimonboard.devtools.host.LocalHostProcess;
import dev.scimonboard.devtools.tenant.EmulatedTenant;
import dev.scimonboard.pipeline.StepName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    private static final Path APP = Path.of("target", "azure-functions", "cf-scim-onboarding");
    private static final Duration ENDED_TIMEOUT = Duration.ofMinutes(40);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

    private final Options options;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder earlierHostLogs = new StringBuilder();
    private AzuriteProcess azurite;
    private EmulatedTenant tenant;
    private volatile LocalHostProcess host;
    private Map<String, String> environment;
    private final AtomicInteger putRetries = new AtomicInteger();

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
                puts.add(callers.submit(() -> put(accountId, body)));
            }
            Disruptions disruptions = new Disruptions();
            Thread disruptor = new Thread(disruptions, "disruptions");
            disruptor.start();
            for (Future<?> put : puts) {
                put.get();
            }
            callers.shutdown();
            say("all onboardings accepted after " + seconds(started));

            Map<String, String> states = awaitEnded(accounts);
            disruptions.stop();
            disruptor.join();
            Instant ended = Instant.now();
            say("all onboardings ended after " + seconds(started));
            Map<String, Integer> left = awaitDrained();
            return report(accounts, states, left, disruptions, Duration.between(started, ended));
        } finally {
            stop();
        }
    }

    private void start() throws IOException {
        azurite = AzuriteProcess.start();
        tenant = new EmulatedTenant("identity-" + HexFormat.of().formatHex(bytes(8)), options.seed);
        tenant.start(0);
        environment = new HashMap<>();
        environment.put("AzureWebJobsStorage", azurite.connectionString());
        environment.putAll(tenant.functionAppSettings());
        // A killed host's messages come back when their lease ends: ten minutes in Azure, shortened here so the
        // scenario's crashes cost seconds rather than minutes each.
        environment.put("LOCAL_HOST_MESSAGE_LEASE_SECONDS", "20");
        host = LocalHostProcess.start(APP, environment);
        say("Azurite, emulated tenant and local host " + host.baseUri() + " are up");
    }

    private void stop() {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            if (tenant != null) {
                tenant.stop();
            }
            if (azurite != null) {
                azurite.close();
            }
        }
    }

    /** PUTs one onboarding, retrying while the host is down (killed) or storage restarts. */
    private void put(String accountId, String body) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(host.baseUri()
                        .toString().replaceAll("/$", "") + "/api/onboardings/" + accountId))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException("PUT " + accountId + " answered " + response.statusCode() + ": "
                        + response.body());
                }
            } catch (IOException e) {
                // The host is being killed or restarted: a caller would try again, and so does this one.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            putRetries.incrementAndGet();
            if (attempt > 200) {
                throw new IllegalStateException("PUT " + accountId + " kept failing");
            }
            pause(Duration.ofMillis(500));
        }
    }

    /** Waits until every onboarding has succeeded or failed, reading the status table. */
    private Map<String, String> awaitEnded(List<String> accounts) {
        Instant deadline = Instant.now().plus(ENDED_TIMEOUT);
        Instant lastReport = Instant.EPOCH;
        while (true) {
            Map<String, String> states = new HashMap<>();
            try {
                for (TableEntity entity : statusTable().listEntities()) {
                    states.put(entity.getPartitionKey(), (String) entity.getProperty("state"));
                }
            } catch (RuntimeException e) {
                pause(Duration.ofSeconds(1));
                continue;
            }
            long ended = accounts.stream().map(states::get)
                .filter(s -> "succeeded".equals(s) || "failed".equals(s)).count();
            if (ended == accounts.size()) {
                return states;
            }
            if (Duration.between(lastReport, Instant.now()).toSeconds() >= 15) {
                Map<String, Long> byState = new java.util.TreeMap<>();
                accounts.forEach(a -> byState.merge(String.valueOf(states.get(a)), 1L, Long::sum));
                say("states " + byState + ", tenant faults " + tenant.faultStatistics());
                lastReport = Instant.now();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("onboardings did not end in " + ENDED_TIMEOUT);
            }
            pause(Duration.ofSeconds(2));
        }
    }

    /** Waits until every step and poison queue is empty (delayed messages included), or the drain timeout. */
    private Map<String, Integer> awaitDrained() {
        Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
        while (true) {
            Map<String, Integer> left = new LinkedHashMap<>();
            for (StepName step : StepName.values()) {
                for (String queue : List.of(step.queueName(), step.poisonQueueName())) {
                    int count = messageCount(queue);
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
        Map<String, TableEntity> entities = new HashMap<>();
        for (TableEntity entity : statusTable().listEntities()) {
            entities.put(entity.getPartitionKey(), entity);
        }
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
        figures.put("putRetries", putRetries.get());
        figures.put("stepRetries", retries);
        figures.put("stepWaits", waits);
        figures.put("messagesPoisoned", poisoned);
        figures.put("messagesLeft", left.values().stream().mapToInt(Integer::intValue).sum());
        figures.put("mintedTokens", tenant.mintedTokenValues().size());
        figures.put("leakedSecrets", leaks);
        figures.put("graphCalls", tenant.calls().stream().filter(c -> "graph".equals(c.service())).count());
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
        QueueServiceClient queues = queueService();
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
        for (TableEntity entity : statusTable().listEntities()) {
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

    private synchronized String hostLog() {
        return earlierHostLogs + host.logText();
    }

    private synchronized void restartHost() {
        host.kill();
        earlierHostLogs.append(host.logText());
        host = LocalHostProcess.start(APP, environment);
    }

    private TableClient statusTable() {
        return new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getTableClient("onboardings");
    }

    private QueueServiceClient queueService() {
        return new QueueServiceClientBuilder().connectionString(azurite.connectionString())
            .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    private int messageCount(String queue) {
        try {
            return queueService().getQueueClient(queue).getProperties().getApproximateMessagesCount();
        } catch (QueueStorageException e) {
            return e.getStatusCode() == 404 ? 0 : -1;
        } catch (RuntimeException e) {
            return -1;
        }
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
                    azurite.restart();
                    azuriteRestarts.incrementAndGet();
                } else if (kills.get() < options.kills) {
                    say("killing the local host (SIGKILL), kill " + (kills.get() + 1));
                    restartHost();
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

    private static String seconds(Instant since) {
        return Duration.between(since, Instant.now()).toSeconds() + " s";
    }

    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(String line) {
        System.out.println(Instant.now() + " " + line);
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
