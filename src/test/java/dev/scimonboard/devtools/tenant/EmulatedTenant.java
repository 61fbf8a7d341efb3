package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A stand-in for the three services the onboarding app talks to, on one loopback port: Microsoft Graph v1.0 under
 * {@code /v1.0}, Cloudflare's API under {@code /client/v4}, and the App Service managed identity endpoint at
 * {@code /msi/token}; besides, over https, Azure Key Vault's secrets and a ticketing system's webhook endpoint that
 * receives the app's outcome callbacks ({@link #callbackUrl}). It keeps a directory, Cloudflare accounts and tokens
 * in memory, shows the faults that the real services show when asked to ({@link #faults()}), records every call, and
 * is configured and inspected through this Java API or through the JSON control API under {@code /_emulator} (see
 * README.md beside this class).
 *
 * <p>It is a development tool: it never holds a real secret, and it never writes a secret to its call log.
 */
public final class EmulatedTenant {
    private volatile java.util.function.Consumer<RecordedCall> observer = call -> { };

    /** The API token the emulated Cloudflare accepts unless another is configured; valid only here. */
    public static final String DEFAULT_CLOUDFLARE_API_TOKEN = "emulated-cloudflare-api-token-local-only";

    /** The Graph application permissions granted to the identity until changed. */
    public static final Set<String> DEFAULT_PERMISSIONS = Set.of(GraphApi.APPLICATION_READWRITE_OWNEDBY,
            GraphApi.APPLICATION_READWRITE_ALL, GraphApi.SYNCHRONIZATION_READWRITE_ALL,
            GraphApi.APPROLEASSIGNMENT_READWRITE_ALL, GraphApi.APPLICATION_READ_ALL);

    /** Seeded Cloudflare account "Example Corp". */
    public static final String SEED_ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
    /** Seeded group "Cloudflare Admins". */
    public static final String SEED_ADMINS_GROUP_ID = "3f1e6a52-7c4b-4d2a-9e8f-1a2b3c4d5e01";
    /** Seeded group "Cloudflare Members". */
    public static final String SEED_MEMBERS_GROUP_ID = "3f1e6a52-7c4b-4d2a-9e8f-1a2b3c4d5e02";
    /** Seeded user "Ada Lovelace". */
    public static final String SEED_USER_ADA_ID = "8a4c2e10-5b3d-4f6a-8c9e-0d1f2a3b4c01";
    /** Seeded user "Grace Hopper". */
    public static final String SEED_USER_GRACE_ID = "8a4c2e10-5b3d-4f6a-8c9e-0d1f2a3b4c02";

    private static final int CALL_LOG_LIMIT = 100_000;
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9a-f]{32}");

    private final String identityHeader;
    private final IdentifierSource ids;
    private final TenantState state = new TenantState();
    private final TenantFaults faults;
    private final Set<String> grantedPermissions = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<RecordedCall> calls = new ConcurrentLinkedDeque<>();
    private final AtomicInteger callCount = new AtomicInteger();
    private final Map<CallCounts.Kind, LongAdder> callCounts = new ConcurrentHashMap<>();
    private final String tenantId;
    private final ManagedIdentityEndpoint identity;
    private final CloudflareApi cloudflare;
    private final GraphApi graph;
    private final ControlApi control;
    private volatile String cloudflareApiToken = DEFAULT_CLOUDFLARE_API_TOKEN;
    private final KeyVaultApi keyVault;
    private final CallbackReceiver callbackReceiver;
    private volatile HttpServer server;
    private volatile HttpsServer vaultServer;
    private volatile HttpsServer callbackServer;
    private volatile ExecutorService executor;
    private volatile Path tlsFolder;
    private volatile LoopbackTls tls;

    /** A tenant whose identity endpoint demands this X-IDENTITY-HEADER value, with unseeded randomness. */
    public EmulatedTenant(String identityHeader) {
        this(identityHeader, new Random().nextLong());
    }

    /** A tenant whose ids and random faults repeat for the same seed. */
    public EmulatedTenant(String identityHeader, long randomSeed) {
        if (identityHeader == null || identityHeader.isEmpty()) {
            throw new IllegalArgumentException("an identity header value is required");
        }
        Random random = new Random(randomSeed);
        this.identityHeader = identityHeader;
        this.ids = new IdentifierSource(random);
        this.faults = new TenantFaults(random);
        this.tenantId = ids.guid();
        this.grantedPermissions.addAll(DEFAULT_PERMISSIONS);
        this.identity = new ManagedIdentityEndpoint(identityHeader, tenantId, ids.guid(), ids.guid(),
                () -> new ArrayList<>(new TreeSet<>(grantedPermissions)));
        this.cloudflare = new CloudflareApi(state, faults, ids, () -> cloudflareApiToken, this::cloudflareBaseUrl,
                this::record);
        this.graph = new GraphApi(state, faults, identity, grantedPermissions, ids, cloudflare, this::graphBaseUrl,
                tenantId);
        this.control = new ControlApi(this);
        this.keyVault = new KeyVaultApi(identity, tenantId, this::keyVaultUrl);
        // Random even for a seeded tenant: it stands for a secret the operator generates.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        this.callbackReceiver = new CallbackReceiver(java.util.HexFormat.of().formatHex(key));
    }

    // ---- lifecycle ----

    /** Starts serving on 127.0.0.1 at the given port, 0 for any free one, and the Key Vault on any free port. */
    public synchronized void start(int port) throws IOException {
        start(port, 0);
    }

    /**
     * Starts serving on 127.0.0.1: Graph, Cloudflare and the identity endpoint over http at {@code port}, the Key
     * Vault over https at {@code keyVaultPort}; 0 for any free port.
     */
    public synchronized void start(int port, int keyVaultPort) throws IOException {
        start(port, keyVaultPort, 0);
    }

    /**
     * Starts serving on 127.0.0.1: Graph, Cloudflare and the identity endpoint over http at {@code port}, the Key
     * Vault over https at {@code keyVaultPort}, the callback receiver over https at {@code callbackPort}; 0 for any
     * free port.
     */
    public synchronized void start(int port, int keyVaultPort, int callbackPort) throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started on port " + port());
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(16, 512, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "emulated-tenant-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1024);
        created.createContext("/", this::exchange);
        created.setExecutor(pool);
        created.start();
        this.executor = pool;
        this.server = created;

        if (tlsFolder == null) {
            tlsFolder = Files.createTempDirectory("emulated-tenant-tls-");
        }
        tls = LoopbackTls.in(tlsFolder);
        HttpsServer vault = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                keyVaultPort), 256);
        vault.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        vault.createContext("/", this::vaultExchange);
        vault.setExecutor(pool);
        vault.start();
        this.vaultServer = vault;

        HttpsServer receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                callbackPort), 256);
        receiver.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        receiver.createContext("/", this::callbackExchange);
        receiver.setExecutor(pool);
        receiver.start();
        this.callbackServer = receiver;
    }

    /**
     * Where to keep the Key Vault's certificate, trust store and hosts file; a new temporary folder unless set before
     * {@link #start}. A folder that already holds them is reused.
     */
    public void tlsFolder(Path folder) {
        this.tlsFolder = folder;
    }

    /**
     * The JVM options a function host needs to reach the emulated Key Vault by its {@code vault.azure.net} name over
     * https: a hosts file and a trust store. Only valid once started.
     */
    public List<String> hostJvmOptions() {
        if (tls == null) {
            throw new IllegalStateException("not started");
        }
        return tls.jvmOptions();
    }

    /** The emulated vault's URL, https://scim-tokens.vault.azure.net:{port}; only valid once started. */
    public String keyVaultUrl() {
        HttpsServer current = vaultServer;
        if (current == null) {
            throw new IllegalStateException("not started");
        }
        return "https://" + LoopbackTls.VAULT_HOST + ":" + current.getAddress().getPort();
    }

    /** The identifier of a secret in the emulated vault, as a request names it. */
    public String keyVaultSecretId(String name) {
        return keyVaultUrl() + "/secrets/" + name;
    }

    /**
     * The URL of the emulated callback receiver for a path, https://hooks.ticketing.example:{port}{path}, for a
     * request's {@code callbackUrl}; only valid once started.
     */
    public String callbackUrl(String path) {
        HttpsServer current = callbackServer;
        if (current == null) {
            throw new IllegalStateException("not started");
        }
        return "https://" + LoopbackTls.CALLBACK_HOST + ":" + current.getAddress().getPort() + path;
    }

    /** The callback receiver's host name, the value for CALLBACK_ALLOWED_HOSTS. */
    public String callbackHost() {
        return LoopbackTls.CALLBACK_HOST;
    }

    /** The key the receiver checks signatures with, the value for CALLBACK_SIGNING_KEY. */
    public String callbackSigningKey() {
        return callbackReceiver.signingKey();
    }

    /** Replaces the key the receiver checks signatures with (at least 32 characters). */
    public void callbackSigningKey(String key) {
        callbackReceiver.signingKey(key);
    }

    /** Every request the callback receiver got, oldest first. */
    public List<ReceivedCallback> callbackDeliveries() {
        return callbackReceiver.received();
    }

    /** The requests the callback receiver got on one path (without query), oldest first. */
    public List<ReceivedCallback> callbackDeliveries(String path) {
        return callbackReceiver.received().stream()
                .filter(delivery -> delivery.path().split("\\?", 2)[0].equals(path)).toList();
    }

    /** Forgets the callback deliveries and the receiver's pending faults. */
    public void clearCallbacks() {
        callbackReceiver.clear();
    }

    /** Answers the next {@code count} callback deliveries, on any path, with {@code status}. */
    public void failNextCallbacks(int count, int status) {
        callbackReceiver.failNext(null, count, status, null);
    }

    /**
     * Answers the next {@code count} callback deliveries to {@code path} (null for any) with {@code status}, and a
     * {@code Retry-After} of {@code retryAfterSeconds} unless null. A 3xx answer carries a Location that points at
     * an internal address.
     */
    public void failNextCallbacks(String path, int count, int status, Integer retryAfterSeconds) {
        callbackReceiver.failNext(path, count, status, retryAfterSeconds);
    }

    /** Stores a new current version of a Key Vault secret; answers the version. */
    public String setKeyVaultSecret(String name, String value) {
        return keyVault.setSecret(name, value);
    }

    /** Disables the current version of a Key Vault secret. */
    public void disableKeyVaultSecret(String name) {
        keyVault.disableSecret(name);
    }

    /** Gives or takes away the identity's Key Vault Secrets User role on the vault. */
    public void keyVaultAccess(boolean granted) {
        keyVault.accessGranted(granted);
    }

    /** Answers the next {@code count} authenticated Key Vault requests with 429 and Retry-After. */
    public void throttleKeyVault(int count) {
        keyVault.throttleNext(count);
    }

    /**
     * Creates a SCIM token for an account as an administrator would in Cloudflare's dashboard, outside the app, and
     * answers its value (for a test to put into Key Vault).
     */
    public String createScimTokenByHand(String accountId, String name) {
        synchronized (state) {
            if (!state.accounts.containsKey(accountId)) {
                throw new IllegalArgumentException("no Cloudflare account " + accountId);
            }
            TenantState.CloudflareToken token = new TenantState.CloudflareToken(ids.hex32(), accountId, name,
                    ids.tokenValue(), EmulatedResponse.JSON.createArrayNode(), null,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), null, null, true);
            state.tokens.put(token.id, token);
            state.mintedTokenValues.add(token.value);
            return token.value;
        }
    }

    /**
     * From now on the SCIM endpoint and validateCredentials refuse every token of the account minted after this
     * call, while the tokens it has now keep working.
     */
    public void rejectNewScimTokens(String accountId) {
        Set<String> existing = new java.util.HashSet<>();
        synchronized (state) {
            for (TenantState.CloudflareToken token : state.tokens.values()) {
                if (token.accountId.equals(accountId)) {
                    existing.add(token.id);
                }
            }
        }
        faults.rejectScimTokensExcept(accountId, existing);
    }

    /** The id of the Cloudflare token saved as a service principal's SecretToken, or null when none is. */
    public String savedSecretTokenId(String servicePrincipalId) {
        synchronized (state) {
            String value = state.secrets.getOrDefault(servicePrincipalId, Map.of()).get("SecretToken");
            for (TenantState.CloudflareToken token : state.tokens.values()) {
                if (token.value.equals(value)) {
                    return token.id;
                }
            }
            return null;
        }
    }

    /** The port served on; only valid once started. */
    public int port() {
        HttpServer current = server;
        if (current == null) {
            throw new IllegalStateException("not started");
        }
        return current.getAddress().getPort();
    }

    /** Stops serving; objects and configuration stay until the instance is dropped. */
    public synchronized void stop() {
        if (callbackServer != null) {
            callbackServer.stop(0);
            callbackServer = null;
        }
        if (vaultServer != null) {
            vaultServer.stop(0);
            vaultServer = null;
        }
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            executor = null;
        }
    }

    /** http://127.0.0.1:{port}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The value for GRAPH_BASE_URL. */
    public String graphBaseUrl() {
        return baseUrl() + "/v1.0";
    }

    /** The value for CLOUDFLARE_API_BASE_URL. */
    public String cloudflareBaseUrl() {
        return baseUrl() + "/client/v4";
    }

    /** The value for IDENTITY_ENDPOINT. */
    public String identityEndpoint() {
        return baseUrl() + "/msi/token";
    }

    /** The value for IDENTITY_HEADER. */
    public String identityHeader() {
        return identityHeader;
    }

    /** The SCIM base address Entra must be given for an account, the value of the BaseAddress secret. */
    public String scimBaseAddress(String accountId) {
        return cloudflareBaseUrl() + "/accounts/" + accountId + "/scim/v2";
    }

    /** The directory (tenant) id put into issued tokens. */
    public String tenantId() {
        return tenantId;
    }

    /** The client id of the system-assigned managed identity. */
    public String identityClientId() {
        return identity.systemClientId();
    }

    /** The object id of the system-assigned managed identity, the owner of what it instantiates. */
    public String identityObjectId() {
        return identity.systemObjectId();
    }

    // ---- configuration ----

    /** The faults to show; everything is off until configured. */
    public TenantFaults faults() {
        return faults;
    }

    /**
     * Back to a fresh tenant: no objects, no tokens, no calls, no faults, default permissions and token lifetime.
     * The Cloudflare API token and identity header stay as configured.
     */
    public void reset() {
        synchronized (state) {
            state.clear();
        }
        faults.clear();
        grantedPermissions.clear();
        grantedPermissions.addAll(DEFAULT_PERMISSIONS);
        identity.tokenLifetime(Duration.ofHours(1));
        keyVault.clear();
        callbackReceiver.clear();
        clearCalls();
    }

    /** Adds the standard seed (see README.md): four Cloudflare accounts, two groups and two users. */
    public void seed() {
        addCloudflareAccount(SEED_ACCOUNT_ID, "Example Corp");
        addCloudflareAccount("1a2b3c4d5e6f708192a3b4c5d6e7f801", "Example Labs");
        addCloudflareAccount("fedcba9876543210fedcba9876543210", "Example Retail");
        addCloudflareAccount("00112233445566778899aabbccddeeff", "Example Sandbox");
        addGroup(SEED_ADMINS_GROUP_ID, "Cloudflare Admins");
        addGroup(SEED_MEMBERS_GROUP_ID, "Cloudflare Members");
        addUser(SEED_USER_ADA_ID, "Ada Lovelace");
        addUser(SEED_USER_GRACE_ID, "Grace Hopper");
    }

    /** Adds (or renames) a user; a null id gets a fresh GUID. Answers the id. */
    public String addUser(String id, String displayName) {
        return addPrincipal(id, displayName, "User");
    }

    /** Adds (or renames) a group; a null id gets a fresh GUID. Answers the id. */
    public String addGroup(String id, String displayName) {
        return addPrincipal(id, displayName, "Group");
    }

    /** Adds (or renames) a Cloudflare account; a null id gets fresh 32 hex characters. Answers the id. */
    public String addCloudflareAccount(String id, String name) {
        String accountId = id == null ? ids.hex32() : id;
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("a Cloudflare account id is 32 lowercase hex characters");
        }
        synchronized (state) {
            TenantState.CloudflareAccount existing = state.accounts.get(accountId);
            Instant created = existing == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    : existing.created();
            state.accounts.put(accountId, new TenantState.CloudflareAccount(accountId, name, created));
        }
        return accountId;
    }

    /** Sets the one API token the emulated Cloudflare accepts for its account and token endpoints. */
    public void cloudflareApiToken(String token) {
        this.cloudflareApiToken = token;
    }

    /** The API token the emulated Cloudflare accepts. */
    public String cloudflareApiToken() {
        return cloudflareApiToken;
    }

    /** The Graph application permissions granted now, sorted. */
    public Set<String> grantedPermissions() {
        return new TreeSet<>(grantedPermissions);
    }

    /** Grants a Graph application permission; effective on the next request. */
    public void grantPermission(String permission) {
        grantedPermissions.add(permission);
    }

    /** Revokes a Graph application permission; effective on the next request, even with tokens already issued. */
    public void revokePermission(String permission) {
        grantedPermissions.remove(permission);
    }

    /** Replaces the granted Graph application permissions. */
    public void grantedPermissions(Collection<String> permissions) {
        grantedPermissions.clear();
        grantedPermissions.addAll(permissions);
    }

    /** Sets how long tokens issued from now on live (default one hour), to test expiry. */
    public void tokenLifetime(Duration lifetime) {
        identity.tokenLifetime(lifetime);
    }

    /** Deletes a Cloudflare token as an administrator would in the dashboard, outside the app. */
    public void deleteCloudflareTokenByHand(String tokenId) {
        synchronized (state) {
            TenantState.CloudflareToken token = state.tokens.get(tokenId);
            if (token == null) {
                throw new IllegalArgumentException("no token " + tokenId);
            }
            token.deletedOn = Instant.now();
        }
    }

    /** Deletes a synchronization job as an administrator would in the portal, outside the app. */
    public void deleteJobByHand(String jobId) {
        synchronized (state) {
            if (state.jobs.remove(jobId) == null) {
                throw new IllegalArgumentException("no job " + jobId);
            }
        }
    }

    /** Pauses a synchronization job as an administrator would in the portal, outside the app. */
    public void pauseJobByHand(String jobId) {
        synchronized (state) {
            TenantState.SynchronizationJob job = state.jobs.get(jobId);
            if (job == null) {
                throw new IllegalArgumentException("no job " + jobId);
            }
            job.scheduleState = "Paused";
            job.statusCode = "Paused";
        }
    }

    /** Clears a service principal's synchronization secrets, as if they were never saved. */
    public void clearSecretsByHand(String servicePrincipalId) {
        synchronized (state) {
            state.secrets.remove(servicePrincipalId);
        }
    }

    /** Removes the assignments of one principal to a service principal, outside the app. */
    public void removeAssignmentByHand(String servicePrincipalId, String principalId) {
        synchronized (state) {
            state.assignments.values().removeIf(a -> a.resourceId().equals(servicePrincipalId)
                    && a.principalId().equals(principalId));
        }
    }

    /** Assigns a principal to a service principal with its User role, outside the app. */
    public void addAssignmentByHand(String servicePrincipalId, String principalId) {
        synchronized (state) {
            TenantState.ServicePrincipal servicePrincipal = state.servicePrincipals.get(servicePrincipalId);
            TenantState.DirectoryPrincipal principal = state.principals.get(principalId);
            if (servicePrincipal == null || principal == null) {
                throw new IllegalArgumentException("no service principal " + servicePrincipalId + " or principal "
                        + principalId);
            }
            String role = servicePrincipal.appRoles.stream().filter(r -> "User".equals(r.displayName()))
                    .findFirst().orElseThrow().id();
            TenantState.Assignment assignment = new TenantState.Assignment(ids.opaqueId(), servicePrincipalId,
                    servicePrincipal.displayName, principalId, principal.type(), principal.displayName(), role,
                    Instant.now(), System.currentTimeMillis());
            state.assignments.put(assignment.id(), assignment);
        }
    }

    /** Puts a job into quarantine as a failing provisioning cycle would; start clears it. */
    public void quarantineJob(String jobId, String errorCode, String message) {
        synchronized (state) {
            TenantState.SynchronizationJob job = state.jobs.get(jobId);
            if (job == null) {
                throw new IllegalArgumentException("no job " + jobId);
            }
            job.statusCode = "Quarantine";
            job.quarantineReason = "EncounteredQuarantineException";
            job.quarantineErrorCode = errorCode;
            job.quarantineErrorMessage = message;
            job.quarantineBegan = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            job.lastExecutionState = "Failed";
            job.lastExecutionEnded = job.quarantineBegan;
            job.lastExecutionEntitled = 0;
            job.lastExecutionErrorCode = errorCode;
            job.lastExecutionErrorMessage = message;
        }
    }

    // ---- inspection ----

    /** Every application, replicated or not, in creation order. */
    public List<ApplicationSnapshot> applications() {
        List<ApplicationSnapshot> result = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (state) {
            for (TenantState.Application application : state.applications.values()) {
                TenantState.ServicePrincipal servicePrincipal = state.servicePrincipalOfApp(application.appId);
                result.add(new ApplicationSnapshot(application.id, application.appId, application.displayName,
                        servicePrincipal == null ? null : servicePrincipal.id, now >= application.visibleAt));
            }
        }
        return result;
    }

    /** The applications with exactly this display name. */
    public List<ApplicationSnapshot> applicationsByDisplayName(String displayName) {
        return applications().stream().filter(a -> a.displayName().equals(displayName)).toList();
    }

    /** How many applications exist (not deleted), replicated or not. */
    public int applicationCount() {
        synchronized (state) {
            return state.applications.size();
        }
    }

    /** Whether an application is in the deleted items, where Entra keeps it restorable for 30 days. */
    public boolean applicationRestorable(String applicationId) {
        synchronized (state) {
            return state.deletedApplications.containsKey(applicationId);
        }
    }

    /** Whether a service principal exists, replicated or not. */
    public boolean servicePrincipalExists(String servicePrincipalId) {
        synchronized (state) {
            return state.servicePrincipals.containsKey(servicePrincipalId);
        }
    }

    /** How many service principals exist, replicated or not. */
    public int servicePrincipalCount() {
        synchronized (state) {
            return state.servicePrincipals.size();
        }
    }

    /** The synchronization jobs of a service principal. */
    public List<JobSnapshot> jobs(String servicePrincipalId) {
        List<JobSnapshot> result = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (state) {
            for (TenantState.SynchronizationJob job : state.jobs.values()) {
                if (job.servicePrincipalId.equals(servicePrincipalId)) {
                    result.add(new JobSnapshot(job.id, job.servicePrincipalId, job.statusCode, job.scheduleState,
                            now >= job.visibleAt));
                }
            }
        }
        return result;
    }

    /** How many synchronization jobs a service principal has. */
    public int jobCount(String servicePrincipalId) {
        return jobs(servicePrincipalId).size();
    }

    /** The app role assignments on a service principal. */
    public List<AssignmentSnapshot> assignments(String servicePrincipalId) {
        List<AssignmentSnapshot> result = new ArrayList<>();
        synchronized (state) {
            for (TenantState.Assignment assignment : state.assignments.values()) {
                if (assignment.resourceId().equals(servicePrincipalId)) {
                    result.add(new AssignmentSnapshot(assignment.id(), assignment.resourceId(),
                            assignment.principalId(), assignment.principalType(), assignment.appRoleId()));
                }
            }
        }
        return result;
    }

    /** The synchronization secret keys saved for a service principal, without values. */
    public Set<String> savedSecretKeys(String servicePrincipalId) {
        synchronized (state) {
            return new LinkedHashSet<>(state.secrets.getOrDefault(servicePrincipalId, Map.of()).keySet());
        }
    }

    /** The saved BaseAddress secret of a service principal (not sensitive), or null. */
    public String savedBaseAddress(String servicePrincipalId) {
        synchronized (state) {
            return state.secrets.getOrDefault(servicePrincipalId, Map.of()).get("BaseAddress");
        }
    }

    /** Whether the saved SecretToken of a service principal is a live SCIM token of that account. */
    public boolean savedSecretTokenWorks(String servicePrincipalId, String accountId) {
        synchronized (state) {
            String token = state.secrets.getOrDefault(servicePrincipalId, Map.of()).get("SecretToken");
            return token != null && cloudflare.scimStatus(accountId, token) == 200;
        }
    }

    /** Every token minted for an account, deleted ones included, without values. */
    public List<CloudflareTokenSnapshot> cloudflareTokens(String accountId) {
        List<CloudflareTokenSnapshot> result = new ArrayList<>();
        Instant now = Instant.now();
        synchronized (state) {
            for (TenantState.CloudflareToken token : state.tokens.values()) {
                if (accountId == null || token.accountId.equals(accountId)) {
                    result.add(new CloudflareTokenSnapshot(token.id, token.accountId, token.name, token.isLive(now),
                            token.deletedOn != null, token.scimPermission));
                }
            }
        }
        return result;
    }

    /** The tokens of an account that authenticate now. */
    public List<CloudflareTokenSnapshot> liveTokens(String accountId) {
        return cloudflareTokens(accountId).stream().filter(CloudflareTokenSnapshot::live).toList();
    }

    /**
     * Every token value the emulated Cloudflare has minted, so that a test can scan logs, queues and tables for
     * leaks. This is the only place values come out.
     */
    public List<String> mintedTokenValues() {
        synchronized (state) {
            return List.copyOf(state.mintedTokenValues);
        }
    }

    /** Every recorded call, oldest first. */
    public List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    /**
     * The recorded calls whose method matches {@code methodRegex} (null for any, case-insensitive) and whose path
     * with query contains a match of {@code pathRegex} (null for any).
     */
    public List<RecordedCall> calls(String methodRegex, String pathRegex) {
        Pattern method = methodRegex == null ? null : Pattern.compile(methodRegex, Pattern.CASE_INSENSITIVE);
        Pattern path = pathRegex == null ? null : Pattern.compile(pathRegex);
        List<RecordedCall> result = new ArrayList<>();
        for (RecordedCall call : calls) {
            if ((method == null || method.matcher(call.method()).matches())
                    && (path == null || path.matcher(call.pathAndQuery()).find())) {
                result.add(call);
            }
        }
        return result;
    }

    /**
     * How many calls have been answered, by service, method, route and status, counting every call since the last
     * {@link #clearCalls()}; unlike {@link #calls()}, no call is ever dropped from these counts.
     *
     * @return a snapshot of the counts
     */
    public CallCounts callCounts() {
        Map<CallCounts.Kind, Long> snapshot = new java.util.HashMap<>();
        callCounts.forEach((kind, count) -> snapshot.put(kind, count.sum()));
        return new CallCounts(snapshot);
    }

    /** Forgets the recorded calls and their counts. */
    public void clearCalls() {
        calls.clear();
        callCount.set(0);
        callCounts.clear();
    }

    /** How often each fault kind has fired, by kind name (see the constants of {@link TenantFaults}). */
    public Map<String, Long> faultStatistics() {
        return faults.statistics();
    }

    /** The whole state as JSON for the control API; never holds a secret value. */
    ObjectNode stateJson() {
        ObjectNode root = EmulatedResponse.JSON.createObjectNode();
        long now = System.currentTimeMillis();
        synchronized (state) {
            ArrayNode applications = root.putArray("applications");
            for (ApplicationSnapshot application : applications()) {
                applications.add(EmulatedResponse.JSON.valueToTree(application));
            }
            ArrayNode servicePrincipals = root.putArray("servicePrincipals");
            for (TenantState.ServicePrincipal sp : state.servicePrincipals.values()) {
                ObjectNode json = servicePrincipals.addObject();
                json.put("id", sp.id);
                json.put("appId", sp.appId);
                json.put("displayName", sp.displayName);
                json.put("replicated", now >= sp.visibleAt);
                ArrayNode roles = json.putArray("appRoles");
                sp.appRoles.forEach(role -> roles.addObject().put("id", role.id()).put("displayName",
                        role.displayName()));
                json.set("jobs", EmulatedResponse.JSON.valueToTree(jobs(sp.id)));
                json.set("assignments", EmulatedResponse.JSON.valueToTree(assignments(sp.id)));
                ObjectNode secrets = json.putObject("secrets");
                state.secrets.getOrDefault(sp.id, Map.of()).forEach((key, value) -> secrets.put(key,
                        GraphApi.SENSITIVE_SECRET_KEYS.contains(key) ? (value == null ? "absent" : "present")
                                : value));
            }
            ArrayNode principals = root.putArray("principals");
            state.principals.values().forEach(p -> principals.addObject().put("id", p.id())
                    .put("displayName", p.displayName()).put("type", p.type()));
            ObjectNode cloudflareJson = root.putObject("cloudflare");
            ArrayNode accounts = cloudflareJson.putArray("accounts");
            state.accounts.values().forEach(a -> accounts.addObject().put("id", a.id()).put("name", a.name()));
            cloudflareJson.set("tokens", EmulatedResponse.JSON.valueToTree(cloudflareTokens(null)));
        }
        root.set("grantedPermissions", EmulatedResponse.JSON.valueToTree(grantedPermissions()));
        return root;
    }

    // ---- HTTP ----

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            EmulatedRequest request = new EmulatedRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            Instant arrived = Instant.now();
            List<String> segments = request.segments();
            String first = segments.isEmpty() ? "" : segments.get(0);
            String service;
            EmulatedResponse response;
            try {
                if ("v1.0".equals(first)) {
                    service = "graph";
                    response = graph.handle(request);
                } else if ("client".equals(first) && segments.size() >= 2 && "v4".equals(segments.get(1))) {
                    service = "cloudflare";
                    response = cloudflare.handle(request);
                } else if ("msi".equals(first) && segments.size() == 2 && "token".equals(segments.get(1))) {
                    service = "identity";
                    response = identity.handle(request);
                } else if ("_emulator".equals(first)) {
                    service = null;
                    response = control.handle(request);
                } else {
                    service = "unknown";
                    response = EmulatedResponse.text(404, "No emulated service under " + request.rawPath()
                            + ". Graph is under /v1.0, Cloudflare under /client/v4, managed identity at /msi/token.");
                }
            } catch (RuntimeException e) {
                // A bug of the emulator itself: answer 500 so the caller sees it, and name only the exception type.
                service = "emulator";
                System.err.println("emulated tenant: " + e.getClass().getName() + " while answering "
                        + request.method() + " " + request.rawPath());
                response = EmulatedResponse.text(500, "emulated tenant failed: " + e.getClass().getSimpleName());
            }
            if (service != null) {
                record(new RecordedCall(arrived, service, request.method(), request.pathAndQuery(), response.status(),
                        request.loggedBody()));
            }
            send(exchange, response);
        }
    }

    private void vaultExchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            EmulatedRequest request = new EmulatedRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            Instant arrived = Instant.now();
            EmulatedResponse response;
            try {
                response = keyVault.handle(request);
            } catch (RuntimeException e) {
                System.err.println("emulated tenant: " + e.getClass().getName() + " while answering Key Vault "
                        + request.method() + " " + request.rawPath());
                response = EmulatedResponse.text(500, "emulated tenant failed: " + e.getClass().getSimpleName());
            }
            request.redactLoggedBody("(Key Vault request body not recorded)");
            record(new RecordedCall(arrived, "keyvault", request.method(), request.pathAndQuery(), response.status(),
                    request.loggedBody()));
            send(exchange, response);
        }
    }

    /**
     * The app settings that point the function app at this tenant: Graph, Cloudflare (with the API token it
     * accepts), the managed identity endpoint, the Key Vault, and the callback receiver's host with the key it
     * checks signatures with.
     *
     * @return setting names to values
     */
    public Map<String, String> functionAppSettings() {
        return Map.of(
            "GRAPH_BASE_URL", graphBaseUrl(),
            "CLOUDFLARE_API_BASE_URL", cloudflareBaseUrl(),
            "CLOUDFLARE_API_TOKEN", cloudflareApiToken(),
            "IDENTITY_ENDPOINT", identityEndpoint(),
            "IDENTITY_HEADER", identityHeader(),
            "SCIM_TOKEN_KEY_VAULTS", keyVaultUrl(),
            "CALLBACK_ALLOWED_HOSTS", callbackHost(),
            "CALLBACK_SIGNING_KEY", callbackSigningKey());
    }

    private void callbackExchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            EmulatedRequest request = new EmulatedRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            Instant arrived = Instant.now();
            EmulatedResponse response;
            try {
                response = callbackReceiver.handle(request);
            } catch (RuntimeException e) {
                System.err.println("emulated tenant: " + e.getClass().getName() + " while receiving a callback "
                        + request.method() + " " + request.rawPath());
                response = EmulatedResponse.text(500, "emulated tenant failed: " + e.getClass().getSimpleName());
            }
            record(new RecordedCall(arrived, "callback", request.method(), request.pathAndQuery(), response.status(),
                    request.loggedBody()));
            send(exchange, response);
        }
    }

    /**
     * Runs {@code observer} on every recorded call, on the thread that answers it and before the answer is sent, so
     * a test can act at an exact moment (such as stopping the caller's process after a call took effect).
     *
     * @param observer the observer, or null for none
     */
    public void observeCalls(java.util.function.Consumer<RecordedCall> observer) {
        this.observer = observer == null ? call -> { } : observer;
    }

    private void record(RecordedCall call) {
        observer.accept(call);
        callCounts.computeIfAbsent(new CallCounts.Kind(call.service(), call.method(),
                CallCounts.route(call.pathAndQuery()), call.status()), kind -> new LongAdder()).increment();
        calls.addLast(call);
        if (callCount.incrementAndGet() > CALL_LOG_LIMIT) {
            Iterator<RecordedCall> oldest = calls.iterator();
            if (oldest.hasNext()) {
                oldest.next();
                oldest.remove();
                callCount.decrementAndGet();
            }
        }
    }

    private static void send(HttpExchange exchange, EmulatedResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = response.body();
        boolean noBody = body.length == 0 || response.status() == 204 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private String addPrincipal(String id, String displayName, String type) {
        String principalId = id == null ? ids.guid() : UUID.fromString(id).toString();
        synchronized (state) {
            state.principals.put(principalId, new TenantState.DirectoryPrincipal(principalId, displayName, type));
        }
        return principalId;
    }

    // ---- standalone ----

    /**
     * Runs the tenant as a process: {@code --port N} (default 0), {@code --identity-header X}, {@code --seed},
     * {@code --cloudflare-token T}, {@code --random-seed N}, {@code --key-vault-port N}, {@code --tls-folder DIR},
     * {@code --callback-port N}, {@code --callback-signing-key K}. Prints one line when ready and serves until
     * killed.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        String identityHeader = "emulated-identity-header";
        String cloudflareToken = DEFAULT_CLOUDFLARE_API_TOKEN;
        boolean seed = false;
        Long randomSeed = null;
        int keyVaultPort = 0;
        int callbackPort = 0;
        String callbackSigningKey = null;
        Path tlsFolder = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--identity-header" -> identityHeader = value(args, ++i, "--identity-header");
                case "--cloudflare-token" -> cloudflareToken = value(args, ++i, "--cloudflare-token");
                case "--random-seed" -> randomSeed = Long.parseLong(value(args, ++i, "--random-seed"));
                case "--seed" -> seed = true;
                case "--key-vault-port" -> keyVaultPort = Integer.parseInt(value(args, ++i, "--key-vault-port"));
                case "--tls-folder" -> tlsFolder = Path.of(value(args, ++i, "--tls-folder"));
                case "--callback-port" -> callbackPort = Integer.parseInt(value(args, ++i, "--callback-port"));
                case "--callback-signing-key" -> callbackSigningKey = value(args, ++i, "--callback-signing-key");
                default -> {
                    System.err.println("unknown argument " + args[i] + "; expected --port N --identity-header X "
                            + "[--seed] [--cloudflare-token T] [--random-seed N] [--key-vault-port N] "
                            + "[--tls-folder DIR] [--callback-port N] [--callback-signing-key K]");
                    System.exit(2);
                }
            }
        }
        EmulatedTenant tenant = randomSeed == null ? new EmulatedTenant(identityHeader)
                : new EmulatedTenant(identityHeader, randomSeed);
        tenant.cloudflareApiToken(cloudflareToken);
        if (seed) {
            tenant.seed();
        }
        if (tlsFolder != null) {
            tenant.tlsFolder(tlsFolder);
        }
        if (callbackSigningKey != null) {
            tenant.callbackSigningKey(callbackSigningKey);
        }
        tenant.start(port, keyVaultPort, callbackPort);
        Runtime.getRuntime().addShutdownHook(new Thread(tenant::stop, "emulated-tenant-shutdown"));
        System.out.println("emulated Key Vault at " + tenant.keyVaultUrl() + " (function host JVM options: "
                + String.join(" ", tenant.hostJvmOptions()) + ")");
        System.out.println("emulated callback receiver at " + tenant.callbackUrl("/") + " (deliveries: "
                + tenant.baseUrl() + "/_emulator/callbacks)");
        System.out.println("emulated tenant listening on " + tenant.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[index];
    }
}
