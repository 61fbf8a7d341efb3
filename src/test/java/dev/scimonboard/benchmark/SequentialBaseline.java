package dev.scimonboard.benchmark;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.graph.models.SynchronizationSecret;
import dev.scimonboard.AppIdentity;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.Settings;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.cloudflare.CloudflareClient;
import dev.scimonboard.cloudflare.ScimToken;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.AppRole;
import dev.scimonboard.graph.EntraModels.CreatedApplication;
import dev.scimonboard.graph.EntraModels.ServicePrincipal;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.graph.GraphAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The sequential baseline: onboards accounts one after another with the Graph and Cloudflare calls that the public
 * PowerShell and script approaches to this job make, in their order, through the Graph Java SDK client that
 * {@code GraphAccess} builds and the project's {@code EntraClient} and {@code CloudflareClient}; no queue, no status
 * table, nothing in parallel. For each account:
 *
 * <ol>
 * <li>instantiate the non-gallery template;</li>
 * <li>poll the new service principal until it is readable;</li>
 * <li>create the SCIM synchronization job;</li>
 * <li>mint the account's SCIM token in Cloudflare;</li>
 * <li>save BaseAddress, SecretToken and SyncAll as the job's secrets;</li>
 * <li>validate the saved credentials;</li>
 * <li>assign each group and user with the application's User role;</li>
 * <li>start the job.</li>
 * </ol>
 *
 * <p>A call that meets Entra's replication (404 or 403 on an object just made) is sent again after the poll
 * interval, a 429 after its Retry-After, a 5xx after a second, as a careful script does with its sleeps; a call
 * still failing after {@link #GIVE_UP_AFTER} fails the account.
 *
 * <p>It runs in its own JVM, which {@link Benchmark} starts with the emulated tenant's app settings in its
 * environment: {@code AppIdentity} finds the managed identity endpoint in the environment, as it does in Azure.
 *
 * <pre>
 * java -cp ... dev.scimonboard.benchmark.SequentialBaseline --plan plan.json --out result.json --poll-ms 1000
 * </pre>
 *
 * <p>The plan is {@code {"accounts":[{"accountId", "principals":[objectId...]}]}}; the result lists, per account,
 * when it started and ended and whether it succeeded.
 */
public final class SequentialBaseline {
    /** How long one call may keep meeting replication, throttling or server errors before the account fails. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);
    /** The wait after a 5xx, or a 429 without Retry-After. */
    static final Duration SERVER_ERROR_PAUSE = Duration.ofSeconds(1);
    /** The display name's prefix; the account id follows, as in the pipeline's names. */
    static final String DISPLAY_NAME = "Cloudflare SCIM baseline";
    /** The synchronization template for a generic SCIM endpoint. */
    static final String SCIM_TEMPLATE = "scim";
    /** The name given to the minted tokens. */
    static final String TOKEN_NAME = "Entra SCIM provisioning (baseline script)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final EntraClient entra;
    private final CloudflareClient cloudflare;
    private final Duration pollInterval;
    private int replicationRetries;
    private int throttleRetries;
    private int serverErrorRetries;

    private SequentialBaseline(Settings settings, EntraClient entra, CloudflareClient cloudflare,
        Duration pollInterval) {
        this.settings = settings;
        this.entra = entra;
        this.cloudflare = cloudflare;
        this.pollInterval = pollInterval;
    }

    /**
     * Runs the baseline over the plan's accounts and writes the result.
     *
     * @param args {@code --plan FILE --out FILE --poll-ms MILLIS}
     * @throws Exception when the plan cannot be read or the result written
     */
    public static void main(String[] args) throws Exception {
        Path plan = null;
        Path out = null;
        long pollMillis = Benchmark.DEFAULT_BASELINE_POLL.toMillis();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--plan" -> plan = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--poll-ms" -> pollMillis = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                    + "; use --plan FILE --out FILE --poll-ms MILLIS");
            }
        }
        if (plan == null || out == null) {
            throw new IllegalArgumentException("--plan and --out are required");
        }

        Settings settings = Settings.fromEnvironment();
        TokenCredential identity = AppIdentity.credential(settings);
        // A script signs in before its first call (Connect-MgGraph); so does the baseline, before the clock starts.
        identity.getTokenSync(new TokenRequestContext().addScopes("https://graph.microsoft.com/.default"));
        SequentialBaseline baseline = new SequentialBaseline(settings,
            new EntraClient(GraphAccess.client(settings, identity)),
            new CloudflareClient(settings.cloudflareApiBaseUrl(), settings::cloudflareApiToken,
                settings.scimPermissionGroupName()),
            Duration.ofMillis(pollMillis));

        ObjectNode result = JSON.createObjectNode();
        result.put("startedAt", Instant.now().toString());
        ArrayNode accounts = result.putArray("accounts");
        for (JsonNode account : JSON.readTree(plan.toFile()).path("accounts")) {
            List<String> principals = new ArrayList<>();
            account.path("principals").forEach(p -> principals.add(p.asText()));
            accounts.add(baseline.onboard(account.path("accountId").asText(), principals));
        }
        result.put("endedAt", Instant.now().toString());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }

    /** Onboards one account from start to end; the answer says when it started and ended and how it went. */
    private ObjectNode onboard(String accountId, List<String> principals) {
        ObjectNode outcome = JSON.createObjectNode();
        outcome.put("accountId", accountId);
        int replicationBefore = replicationRetries;
        int throttleBefore = throttleRetries;
        int serverErrorBefore = serverErrorRetries;
        Instant started = Instant.now();
        try {
            CreatedApplication created = entra.instantiate(settings.appTemplateId(),
                DISPLAY_NAME + " (" + accountId + ")");
            ServicePrincipal servicePrincipal = awaitReadable(created.servicePrincipalId());
            String spId = servicePrincipal.id();
            SynchronizationJob job = call(() -> entra.createJob(spId, SCIM_TEMPLATE));
            ScimToken token = call(() -> cloudflare.mintScimToken(accountId, TOKEN_NAME));
            call(() -> entra.saveSecrets(spId, secrets(accountId, token.value())));
            call(() -> entra.validateSavedCredentials(spId, job.id()));
            AppRole user = servicePrincipal.userRole().orElseThrow(() -> new IllegalStateException(
                "the new application has no User role"));
            for (String principal : principals) {
                call(() -> entra.assign(spId, principal, user.id()));
            }
            call(() -> entra.startJob(spId, job.id()));
            outcome.put("succeeded", true);
        } catch (RuntimeException e) {
            outcome.put("succeeded", false);
            outcome.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Instant ended = Instant.now();
        outcome.put("startedAt", started.toString());
        outcome.put("endedAt", ended.toString());
        outcome.put("seconds", Duration.between(started, ended).toMillis() / 1000.0);
        outcome.put("replicationRetries", replicationRetries - replicationBefore);
        outcome.put("throttleRetries", throttleRetries - throttleBefore);
        outcome.put("serverErrorRetries", serverErrorRetries - serverErrorBefore);
        return outcome;
    }

    /** Reads the new service principal every poll interval until Graph shows it. */
    private ServicePrincipal awaitReadable(String servicePrincipalId) {
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        while (true) {
            Optional<ServicePrincipal> found = call(() -> entra.servicePrincipal(servicePrincipalId));
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("service principal " + servicePrincipalId + " never became readable");
            }
            replicationRetries++;
            pause(pollInterval);
        }
    }

    /** Makes one call, sending it again after replication 404/403, 429 and 5xx answers, as a careful script does. */
    private <T> T call(Supplier<T> request) {
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        while (true) {
            try {
                return request.get();
            } catch (OnboardingFailure e) {
                Duration wait = waitBeforeRetry(e);
                if (wait == null || Instant.now().plus(wait).isAfter(deadline)) {
                    throw e;
                }
                pause(wait);
            }
        }
    }

    private void call(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }

    /** How long to wait before sending a failed call again, or null to give up. */
    private Duration waitBeforeRetry(OnboardingFailure failure) {
        int status = failure.httpStatus();
        if (status == 404 || status == 403) {
            replicationRetries++;
            return pollInterval;
        }
        if (status == 429) {
            throttleRetries++;
            return failure instanceof TransientFailure t ? t.retryAfter().orElse(SERVER_ERROR_PAUSE)
                : SERVER_ERROR_PAUSE;
        }
        if (status >= 500 || status == 0) {
            serverErrorRetries++;
            return SERVER_ERROR_PAUSE;
        }
        return null;
    }

    /** The job's secrets as the scripts set them: the SCIM endpoint, the token, and provisioning of assigned only. */
    private Map<SynchronizationSecret, String> secrets(String accountId, String token) {
        Map<SynchronizationSecret, String> secrets = new EnumMap<>(SynchronizationSecret.class);
        secrets.put(SynchronizationSecret.BaseAddress, cloudflare.scimBaseAddress(accountId));
        secrets.put(SynchronizationSecret.SecretToken, token);
        secrets.put(SynchronizationSecret.SyncAll, "false");
        return secrets;
    }

    /** A script's sleep between polls; here it is the behaviour being measured. */
    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
