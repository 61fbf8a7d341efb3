package dev.scimonboard.e2e;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimonboard.devtools.host.AzuriteProcess;
import dev.scimonboard.devtools.host.LocalHostProcess;
import dev.scimonboard.devtools.tenant.EmulatedTenant;
import dev.scimonboard.pipeline.StepMessage;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepQueues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * The whole product running as it does locally, for end-to-end tests: Azurite, the emulated tenant (in this JVM, so
 * tests can inject faults and inspect it) and the packaged function app in the local host (a child JVM, reading its
 * settings from its environment like the Functions host). Started once for all test classes.
 */
final class TestPipeline {
    /** How long a test waits for one onboarding to end. */
    static final Duration ONBOARDING_TIMEOUT = Duration.ofSeconds(120);
    /** The replication window the functions run with: short, so that denied calls fail within a test's patience. */
    static final int REPLICATION_WINDOW_SECONDS = 12;
    /** The local host's message lease: short, so that a killed host's messages return within seconds. */
    static final int MESSAGE_LEASE_SECONDS = 6;

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STAGED = Path.of("target", "azure-functions", "cf-scim-onboarding");
    /**
     * The staged app as the tests run it: the same function.json files, and host.json with an empty queue polled at
     * least every half second instead of every two seconds, so that a test's onboarding does not wait on idle
     * polling between its steps. The local host loads the classes from the classpath, so lib/ is not copied.
     */
    private static final Path APP = Path.of("target", "e2e-app");
    private static final String TEST_POLLING_INTERVAL = "00:00:00.500";
    private static TestPipeline shared;

    final AzuriteProcess azurite;
    final EmulatedTenant tenant;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> environment;
    private final StringBuilder earlierHostLogs = new StringBuilder();
    private LocalHostProcess host;

    private TestPipeline() throws IOException {
        stageForTests();
        azurite = AzuriteProcess.start();
        tenant = new EmulatedTenant("identity-header-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
            .nextLong()));
        tenant.start(0);
        tenant.seed();
        environment = new HashMap<>();
        environment.put("AzureWebJobsStorage", azurite.connectionString());
        environment.putAll(tenant.functionAppSettings());
        // The host's JVM reaches the emulated Key Vault by its vault.azure.net name, over https.
        environment.put("JAVA_TOOL_OPTIONS", String.join(" ", tenant.hostJvmOptions()));
        environment.put("REPLICATION_WINDOW_SECONDS", Integer.toString(REPLICATION_WINDOW_SECONDS));
        environment.put("STEP_DEADLINE_SECONDS", "90");
        environment.put("LOCAL_HOST_MESSAGE_LEASE_SECONDS", Integer.toString(MESSAGE_LEASE_SECONDS));
        host = LocalHostProcess.start(APP, environment);
    }

    /** Copies the staged app without lib/, with host.json's maxPollingInterval shortened. */
    private static void stageForTests() throws IOException {
        if (Files.exists(APP)) {
            try (java.util.stream.Stream<Path> old = Files.walk(APP)) {
                for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        try (java.util.stream.Stream<Path> files = Files.walk(STAGED)) {
            for (Path source : files.toList()) {
                Path relative = STAGED.relativize(source);
                if (relative.startsWith("lib")) {
                    continue;
                }
                Path target = APP.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path hostJson = APP.resolve("host.json");
        String text = Files.readString(hostJson);
        String faster = text.replaceFirst("\"maxPollingInterval\"\\s*:\\s*\"[^\"]*\"",
            "\"maxPollingInterval\": \"" + TEST_POLLING_INTERVAL + "\"");
        if (faster.equals(text)) {
            throw new IllegalStateException("host.json has no maxPollingInterval to shorten: " + hostJson);
        }
        Files.writeString(hostJson, faster);
    }

    /** The pipeline shared by every end-to-end test, started on first use and stopped when the JVM exits. */
    static synchronized TestPipeline shared() {
        if (shared == null) {
            try {
                shared = new TestPipeline();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestPipeline started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stopAll));
        }
        return shared;
    }

    /** Kills the local host with SIGKILL, as a crash would. */
    synchronized void killHost() {
        host.kill();
    }

    /** Starts the local host again after a kill. */
    synchronized void restartHost() {
        if (host.isAlive()) {
            host.kill();
        }
        earlierHostLogs.append(host.logText());
        host = LocalHostProcess.start(APP, environment);
    }

    /**
     * Starts another local host on the same Azurite and emulated tenant, with settings added to (or replacing) the
     * shared host's. The caller closes it; the shared host keeps running.
     *
     * @param extraEnvironment the settings to add, such as {@code LOCAL_FUNCTION_KEY}
     * @return the running host
     */
    LocalHostProcess startExtraHost(Map<String, String> extraEnvironment) {
        Map<String, String> settings = new HashMap<>(environment);
        settings.putAll(extraEnvironment);
        return LocalHostProcess.start(APP, settings);
    }

    /** Everything the local host has logged, over all its restarts. */
    synchronized String hostLog() {
        return earlierHostLogs + host.logText();
    }

    /** A new Cloudflare account known to the emulated tenant. */
    String newAccount() {
        String id = HexFormat.of().formatHex(randomBytes(16));
        tenant.addCloudflareAccount(id, "Account " + id.substring(0, 6));
        return id;
    }

    /** A new group in the emulated directory. */
    String newGroup() {
        return tenant.addGroup(null, "Group " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** A new user in the emulated directory. */
    String newUser() {
        return tenant.addUser(null, "User " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    HttpResponse<String> put(String accountId, String body) {
        return send(HttpRequest.newBuilder(api("/onboardings/" + accountId))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(api(pathAndQuery)).DELETE());
    }

    /** Waits until the account's status document is in the given state and returns it. */
    JsonNode awaitState(String accountId, String state) {
        JsonNode[] last = new JsonNode[1];
        await("account " + accountId + " to be " + state, ONBOARDING_TIMEOUT, () -> {
            last[0] = status(accountId);
            return state.equals(last[0].path("state").asText());
        }, () -> String.valueOf(last[0]));
        return last[0];
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(api(pathAndQuery)).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI api(String pathAndQuery) {
        return URI.create(host.baseUri().toString().replaceAll("/$", "") + "/api" + pathAndQuery);
    }

    /** GETs a path and checks the answer against the OpenAPI document the host serves. */
    void checkAgainstOpenApi(String pathAndQuery) {
        OpenApiContract contract = OpenApiContract.of(get("/openapi.json").body());
        contract.check("GET", api(pathAndQuery), get(pathAndQuery));
    }

    /** Checks an answer already received against the OpenAPI document the host serves. */
    void checkAgainstOpenApi(String method, String pathAndQuery, HttpResponse<String> response) {
        OpenApiContract.of(get("/openapi.json").body()).check(method, api(pathAndQuery), response);
    }

    /** The status document of an account. */
    JsonNode status(String accountId) {
        HttpResponse<String> response = get("/onboardings/" + accountId);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET status answered " + response.statusCode() + ": " + response.body());
        }
        return read(response.body());
    }

    /** Waits until the onboarding has ended (succeeded or failed) and returns its status document. */
    JsonNode awaitEnded(String accountId) {
        JsonNode[] last = new JsonNode[1];
        await("onboarding of " + accountId + " to end", ONBOARDING_TIMEOUT, () -> {
            last[0] = status(accountId);
            String state = last[0].path("state").asText();
            return "succeeded".equals(state) || "failed".equals(state);
        }, () -> String.valueOf(last[0]));
        return last[0];
    }

    /** Waits for a condition, checking it every 200 ms. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, () -> "");
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition,
        java.util.function.Supplier<String> lastSeen) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: "
                    + lastSeen.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The queue service, with the base64 encoding the functions use. */
    QueueServiceClient queues() {
        return new QueueServiceClientBuilder().connectionString(azurite.connectionString())
            .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    /** The status table as the functions write it. */
    TableClient statusTable() {
        TableServiceClient service = new TableServiceClientBuilder().connectionString(azurite.connectionString())
            .buildClient();
        // The functions create the table on their first use of storage; a test may look before that.
        service.createTableIfNotExists("onboardings");
        return service.getTableClient("onboardings");
    }

    /** The raw status entity of an account. */
    TableEntity statusEntity(String accountId) {
        return statusTable().getEntity(accountId, "onboarding");
    }

    /** Sends a step message as the functions would. */
    void sendStepMessage(String queue, StepMessage message) {
        queues().getQueueClient(queue).sendMessage(StepQueues.write(message));
    }

    /**
     * The text of every message waiting in the step queues and their poison queues (up to 32 each, the most a peek
     * returns). The queues are named rather than listed: Azurite 3.35 answers 400 to this SDK's list request.
     */
    List<String> queuedMessageTexts() {
        List<String> texts = new ArrayList<>();
        QueueServiceClient service = queues();
        for (StepName step : StepName.values()) {
            for (String name : List.of(step.queueName(), step.poisonQueueName())) {
                try {
                    for (PeekedMessageItem message : service.getQueueClient(name).peekMessages(32, null, null)) {
                        texts.add(name + ": " + message.getBody().toString());
                    }
                } catch (com.azure.storage.queue.models.QueueStorageException e) {
                    if (e.getStatusCode() != 404) {
                        throw e;
                    }
                }
            }
        }
        return texts;
    }

    /** How many messages wait in one queue (an estimate from the service, exact when idle). */
    int approximateMessageCount(String queue) {
        QueueClient client = queues().getQueueClient(queue);
        return client.getProperties().getApproximateMessagesCount();
    }

    private void stopAll() {
        try {
            host.stop();
        } finally {
            tenant.stop();
            azurite.close();
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
