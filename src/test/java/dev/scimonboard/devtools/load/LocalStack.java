package dev.scimonboard.devtools.load;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueStorageException;
import dev.scimonboard.devtools.host.AzuriteProcess;
import dev.scimonboard.devtools.host.LocalHost;
import dev.scimonboard.devtools.host.LocalHostProcess;
import dev.scimonboard.devtools.tenant.EmulatedTenant;
import dev.scimonboard.status.StatusStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The product as it runs locally, for programs that drive many onboardings: Azurite, the emulated tenant in the
 * calling JVM (so the program can inject faults and count calls) and the packaged function app in the local host, a
 * child JVM that reads its settings from its environment. {@link #close()} stops all three.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(1, Map.of())) {
 *     stack.tenant().faults().writeLimit(20);
 *     stack.startHost(List.of());
 *     ...
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {
    /** Where azure-functions-maven-plugin stages the app, relative to the project root. */
    public static final Path APP = LocalHost.DEFAULT_APP;

    private final AzuriteProcess azurite;
    private final EmulatedTenant tenant;
    private final Map<String, String> hostSettings;
    private final StringBuilder earlierHostLogs = new StringBuilder();
    private List<String> hostJvmOptions = List.of();
    private volatile LocalHostProcess host;

    private LocalStack(AzuriteProcess azurite, EmulatedTenant tenant, Map<String, String> hostSettings) {
        this.azurite = azurite;
        this.tenant = tenant;
        this.hostSettings = Map.copyOf(hostSettings);
    }

    /**
     * Starts Azurite and the emulated tenant; the host is started separately, by {@link #startHost(List)}, so that
     * the caller can prepare the tenant first.
     *
     * @param seed makes the tenant's ids and random faults repeat
     * @param extraSettings app settings for the host besides storage and the tenant's, such as
     *     {@code LOCAL_HOST_MESSAGE_LEASE_SECONDS}
     * @return the started stack
     * @throws IOException when the tenant cannot listen
     */
    public static LocalStack start(long seed, Map<String, String> extraSettings) throws IOException {
        AzuriteProcess azurite = AzuriteProcess.start();
        EmulatedTenant tenant = new EmulatedTenant("identity-" + Long.toHexString(seed), seed);
        try {
            tenant.start(0);
        } catch (IOException | RuntimeException e) {
            azurite.close();
            throw e;
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("AzureWebJobsStorage", azurite.connectionString());
        settings.putAll(tenant.functionAppSettings());
        settings.putAll(extraSettings);
        return new LocalStack(azurite, tenant, settings);
    }

    /**
     * The emulated tenant, in this JVM.
     *
     * @return the tenant
     */
    public EmulatedTenant tenant() {
        return tenant;
    }

    /**
     * Azurite.
     *
     * @return the running emulator
     */
    public AzuriteProcess azurite() {
        return azurite;
    }

    /**
     * The app settings the host runs with: storage, the tenant's endpoints and the extra settings.
     *
     * @return setting names to values
     */
    public Map<String, String> hostSettings() {
        return hostSettings;
    }

    /**
     * Starts the local host and waits until it is ready.
     *
     * @param jvmOptions options for the host's JVM, such as a GC log; kept for {@link #restartHost()}
     * @return the running host
     * @throws IllegalStateException when a host is running already, or the host does not become ready
     */
    public synchronized LocalHostProcess startHost(List<String> jvmOptions) {
        if (host != null && host.isAlive()) {
            throw new IllegalStateException("the local host is running already");
        }
        keepLog();
        hostJvmOptions = List.copyOf(jvmOptions);
        host = LocalHostProcess.start(APP, hostSettings, hostJvmOptions);
        return host;
    }

    /**
     * The current local host process.
     *
     * @return the host, or null before the first start
     */
    public LocalHostProcess host() {
        return host;
    }

    /** Kills the host with SIGKILL, as a crash would, and starts it again with the same settings and options. */
    public synchronized void restartHost() {
        host.kill();
        keepLog();
        host = LocalHostProcess.start(APP, hostSettings, hostJvmOptions);
    }

    /** Stops the host gracefully (SIGTERM), keeping its log; a later {@link #startHost(List)} starts a new one. */
    public synchronized void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    /**
     * Everything the local host has logged, over all its starts.
     *
     * @return the log text
     */
    public synchronized String hostLog() {
        return earlierHostLogs + (host == null ? "" : host.logText());
    }

    /**
     * A client of the status table, read directly rather than through the product's code.
     *
     * @return the table client
     */
    public TableClient statusTable() {
        return new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getTableClient(StatusStore.TABLE_NAME);
    }

    /**
     * A client of the storage queues, with the host's base64 message encoding.
     *
     * @return the queue service client
     */
    public QueueServiceClient queueService() {
        return new QueueServiceClientBuilder().connectionString(azurite.connectionString())
            .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    /**
     * The number of messages in a queue, delayed ones included.
     *
     * @param queue the queue name
     * @return the count, 0 for a queue that does not exist, -1 when storage does not answer
     */
    public int messageCount(String queue) {
        try {
            return queueService().getQueueClient(queue).getProperties().getApproximateMessagesCount();
        } catch (QueueStorageException e) {
            return e.getStatusCode() == 404 ? 0 : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Stops the host, the tenant and Azurite, in that order. */
    @Override
    public void close() {
        try {
            stopHost();
        } finally {
            try {
                tenant.stop();
            } finally {
                azurite.close();
            }
        }
    }

    private void keepLog() {
        if (host != null) {
            earlierHostLogs.append(host.logText());
        }
    }
}
