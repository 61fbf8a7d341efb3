package dev.scimonboard;

import com.azure.core.credential.TokenCredential;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.scimonboard.api.AccountDiscovery;
import dev.scimonboard.api.EventIntake;
import dev.scimonboard.api.HealthCheck;
import dev.scimonboard.api.OnboardingsApi;
import dev.scimonboard.api.StatusDocuments;
import dev.scimonboard.callback.CallbackClient;
import dev.scimonboard.callback.CallbackHosts;
import dev.scimonboard.cloudflare.CloudflareClient;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.GraphAccess;
import dev.scimonboard.keyvault.KeyVaultSecrets;
import dev.scimonboard.keyvault.SecretReference;
import dev.scimonboard.pipeline.CallbackRunner;
import dev.scimonboard.pipeline.Queues;
import dev.scimonboard.pipeline.RotationRunner;
import dev.scimonboard.pipeline.StepQueues;
import dev.scimonboard.pipeline.StepRunner;
import dev.scimonboard.status.StatusStore;
import dev.scimonboard.steps.AssignAccess;
import dev.scimonboard.steps.CreateApplication;
import dev.scimonboard.steps.CreateSynchronizationJob;
import dev.scimonboard.steps.Planner;
import dev.scimonboard.steps.RemoveApplication;
import dev.scimonboard.steps.RemoveJob;
import dev.scimonboard.steps.RemoveTokens;
import dev.scimonboard.steps.RotateToken;
import dev.scimonboard.steps.SaveSecrets;
import dev.scimonboard.steps.StartProvisioning;
import dev.scimonboard.steps.TestConnection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The process's clients and services, each built once and only when first needed: the HTTP functions never build
 * the Graph client, and a step function builds it on its first message.
 */
public final class Services {
    private static final String STORAGE = "AzureWebJobsStorage";
    private static volatile Services instance;

    private final Settings settings;
    private final StatusStore store;
    private final QueueServiceClient queueService;
    private final StepQueues queues;
    private final OnboardingsApi api;
    private volatile StepRunner runner;
    private volatile EventIntake intake;
    private volatile AccountDiscovery discovery;
    private volatile RotationRunner rotation;
    private volatile HealthCheck health;
    private volatile StepClients stepClients;
    private volatile CallbackRunner callbacks;

    private Services(Settings settings) {
        this.settings = settings;
        this.store = new StatusStore(table(settings));
        this.queueService = queueService(settings);
        this.queues = new StepQueues(queueService);
        this.api = new OnboardingsApi(store, queues, Clock.systemUTC(), settings.scimTokenKeyVaults().stream()
            .map(SecretReference::vaultRoot).collect(Collectors.toSet()),
            CallbackHosts.parse(settings.callbackAllowedHosts()),
            () -> new Planner(stepClients().entra(), stepClients().cloudflare(), stepClients().saveSecrets()));
    }

    /**
     * The services of this process, built from its environment on first use. A first use that fails (storage not
     * reachable yet) throws, and the next use tries again: the process is not left without services for good.
     */
    public static Services get() {
        Services built = instance;
        if (built == null) {
            synchronized (Services.class) {
                built = instance;
                if (built == null) {
                    built = new Services(Settings.fromEnvironment());
                    instance = built;
                }
            }
        }
        return built;
    }

    /** The onboardings HTTP API. */
    public OnboardingsApi api() {
        return api;
    }

    /** The step runner, with the Graph and Cloudflare clients behind it. */
    public StepRunner runner() {
        StepRunner built = runner;
        if (built == null) {
            synchronized (this) {
                built = runner;
                if (built == null) {
                    built = buildRunner();
                    runner = built;
                }
            }
        }
        return built;
    }

    /** The intake of onboarding events, with the queue that unusable events are set aside in. */
    public EventIntake intake() {
        EventIntake built = intake;
        if (built == null) {
            synchronized (this) {
                built = intake;
                if (built == null) {
                    QueueClient rejected = queueService.getQueueClient(Queues.ONBOARDING_EVENTS_REJECTED);
                    rejected.createIfNotExists();
                    built = new EventIntake(api, store, rejected::sendMessage, settings.onboardingEventType());
                    intake = built;
                }
            }
        }
        return built;
    }

    /** The discovery of Cloudflare accounts to onboard, which pages through Cloudflare's account list. */
    public AccountDiscovery discovery() {
        AccountDiscovery built = discovery;
        if (built == null) {
            synchronized (this) {
                built = discovery;
                if (built == null) {
                    CloudflareClient cloudflare = new CloudflareClient(settings.cloudflareApiBaseUrl(),
                        settings::cloudflareApiToken, settings.scimPermissionGroupName());
                    built = new AccountDiscovery(settings, cloudflare::accounts,
                        accountId -> store.find(accountId).isPresent(),
                        (accountId, desired) -> api.start(accountId, desired, OnboardingsApi.correlationId(null))
                            .started(),
                        Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
                    discovery = built;
                }
            }
        }
        return built;
    }

    /** The rotation of minted SCIM tokens: the timer's scheduling and the rotate-token queue's handler. */
    public RotationRunner rotation() {
        RotationRunner built = rotation;
        if (built == null) {
            synchronized (this) {
                built = rotation;
                if (built == null) {
                    QueueClient queue = queueService.getQueueClient(Queues.ROTATE_TOKEN);
                    queue.createIfNotExists();
                    StepClients clients = stepClients();
                    built = new RotationRunner(store, new RotateToken(clients.entra(), clients.cloudflare(),
                        clients.saveSecrets()), (text, delay) -> queue.sendMessageWithResponse(text,
                        StepQueues.visibility(delay), null, null, null), settings.tokenRotationMaxAge(),
                        settings.stepDeadline(), Clock.systemUTC());
                    rotation = built;
                }
            }
        }
        return built;
    }

    /** The health check of onboarded accounts' synchronization jobs. */
    public HealthCheck health() {
        HealthCheck built = health;
        if (built == null) {
            synchronized (this) {
                built = health;
                if (built == null) {
                    built = new HealthCheck(store, stepClients().entra(), api, settings.healthCheckReadsPerSecond(),
                        Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
                    health = built;
                }
            }
        }
        return built;
    }

    /** The outcome callbacks: scheduled when a run ends, each attempt a message on the send-callback queue. */
    public CallbackRunner callbacks() {
        CallbackRunner built = callbacks;
        if (built == null) {
            synchronized (this) {
                built = callbacks;
                if (built == null) {
                    QueueClient queue = queueService.getQueueClient(Queues.SEND_CALLBACK);
                    queue.createIfNotExists();
                    built = new CallbackRunner(store, onboarding -> StatusDocuments.write(onboarding).toString(),
                        new CallbackClient(), (text, delay) -> queue.sendMessageWithResponse(text,
                        StepQueues.visibility(delay), null, null, null),
                        CallbackHosts.parse(settings.callbackAllowedHosts()), settings::callbackSigningKey,
                        Clock.systemUTC());
                    callbacks = built;
                }
            }
        }
        return built;
    }

    private StepRunner buildRunner() {
        StepClients clients = stepClients();
        EntraClient entra = clients.entra();
        return new StepRunner(List.of(
            new CreateApplication(entra, settings.appTemplateId(), settings.replicationWindow()),
            new CreateSynchronizationJob(entra, settings.replicationWindow()),
            clients.saveSecrets(),
            new TestConnection(entra),
            new AssignAccess(entra),
            new StartProvisioning(entra),
            new RemoveJob(entra, settings.replicationWindow()),
            new RemoveApplication(entra, settings.replicationWindow()),
            new RemoveTokens(clients.saveSecrets())), store, queues, settings, Clock.systemUTC(), callbacks());
    }

    /** The clients the steps share, one of each per process: one identity, one Graph client. */
    private synchronized StepClients stepClients() {
        if (stepClients == null) {
            TokenCredential identity = AppIdentity.credential(settings);
            EntraClient entra = new EntraClient(GraphAccess.client(settings, identity));
            CloudflareClient cloudflare = new CloudflareClient(settings.cloudflareApiBaseUrl(),
                settings::cloudflareApiToken, settings.scimPermissionGroupName());
            stepClients = new StepClients(entra, cloudflare,
                new SaveSecrets(entra, cloudflare, new KeyVaultSecrets(identity)));
        }
        return stepClients;
    }

    private static TableClient table(Settings settings) {
        TableServiceClientBuilder builder = new TableServiceClientBuilder();
        Optional<String> connection = settings.optional(STORAGE);
        if (connection.isPresent()) {
            builder.connectionString(connection.get());
        } else {
            builder.endpoint(serviceUri(settings, "table")).credential(storageCredential(settings));
        }
        TableServiceClient service = builder.buildClient();
        service.createTableIfNotExists(StatusStore.TABLE_NAME);
        return service.getTableClient(StatusStore.TABLE_NAME);
    }

    private static QueueServiceClient queueService(Settings settings) {
        // Base64, as the Functions host expects by default (host.json sets it explicitly).
        QueueServiceClientBuilder builder = new QueueServiceClientBuilder().messageEncoding(QueueMessageEncoding.BASE64);
        Optional<String> connection = settings.optional(STORAGE);
        if (connection.isPresent()) {
            builder.connectionString(connection.get());
        } else {
            builder.endpoint(serviceUri(settings, "queue")).credential(storageCredential(settings));
        }
        return builder.buildClient();
    }

    /** An identity-based connection's service URI: set directly, or derived from the account name. */
    private static String serviceUri(Settings settings, String service) {
        return settings.optional(STORAGE + "__" + service + "ServiceUri")
            .or(() -> settings.optional(STORAGE + "__accountName")
                .map(account -> "https://" + account + "." + service + ".core.windows.net"))
            .orElseThrow(() -> new IllegalStateException("Set the app setting " + STORAGE + " (a connection "
                + "string) or " + STORAGE + "__" + service + "ServiceUri (for an identity-based connection)."));
    }

    private static TokenCredential storageCredential(Settings settings) {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        settings.optional(STORAGE + "__clientId").or(settings::managedIdentityClientId)
            .ifPresent(builder::managedIdentityClientId);
        return builder.build();
    }

    /** The clients behind the steps and the token rotation. */
    private record StepClients(EntraClient entra, CloudflareClient cloudflare, SaveSecrets saveSecrets) {
    }

}
