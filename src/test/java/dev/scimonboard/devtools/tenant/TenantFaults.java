package dev.scimonboard.devtools.tenant;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The misbehaviour the emulated tenant shows on purpose: replication delay, instantiate answering 404 after it has
 * created, throttling, transient errors, rejected SCIM tokens and latency. Everything is off until configured. Each
 * fault that fires is counted by kind in {@link #statistics()}.
 *
 * <p>All methods are thread-safe; the configuring ones return this instance so that calls can be chained.
 */
public final class TenantFaults {

    /** Fault kind: an object was created with a replication delay above zero. */
    public static final String REPLICATION_DELAYED = "replicationDelayed";
    /** Fault kind: a call touched an object that had not replicated yet and got 404. */
    public static final String REPLICATION_NOT_FOUND = "replicationNotFound";
    /** Fault kind: a synchronization call touched an object that had not replicated yet and got 403. */
    public static final String REPLICATION_FORBIDDEN = "replicationForbidden";
    /** Fault kind: instantiate answered 404 although it created the application. */
    public static final String INSTANTIATE_NOT_FOUND = "instantiateNotFound";
    /** Fault kind: a Graph write was refused with 429 by the per-second write limit. */
    public static final String WRITE_LIMIT = "writeLimit";
    /** Fault kind: a call matched a throttle-next rule and got 429. */
    public static final String THROTTLE_NEXT = "throttleNext";
    /** Fault kind: a Graph call failed at random with a 5xx status. */
    public static final String TRANSIENT_ERROR = "transientError";
    /** Fault kind: a call matched a fail-next rule and got the rule's status. */
    public static final String FAIL_NEXT = "failNext";
    /** Fault kind: a Graph call was refused because the identity lacks the permission. */
    public static final String PERMISSION_DENIED = "permissionDenied";
    /** Fault kind: a SCIM token was refused because SCIM tokens of its account are set to be rejected. */
    public static final String SCIM_TOKEN_REJECTED = "scimTokenRejected";
    /** Fault kind: a Graph call was delayed by configured latency. */
    public static final String LATENCY = "latency";
    /** Fault kind: a Cloudflare call was refused with 429 by the Cloudflare rate limit. */
    public static final String CLOUDFLARE_RATE_LIMIT = "cloudflareRateLimit";

    /** What a synchronization call answers when it touches a service principal or job not replicated yet. */
    public enum ReplicationAnswer {
        /** 404 Request_ResourceNotFound, the usual answer. */
        NOT_FOUND,
        /** 403 Authorization_RequestDenied, also seen on synchronization calls soon after creation. */
        FORBIDDEN
    }

    /** A rule that answers the next matching calls with a fixed failure. */
    static final class PathRule {
        final Pattern method;
        final Pattern path;
        final int status;
        final double retryAfterSeconds;
        int remaining;

        PathRule(int count, String method, String path, int status, double retryAfterSeconds) {
            this.remaining = count;
            this.method = method == null || method.isEmpty() ? null : Pattern.compile(method, Pattern.CASE_INSENSITIVE);
            this.path = Pattern.compile(path == null || path.isEmpty() ? ".*" : path);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        boolean matches(String requestMethod, String requestPath) {
            return (method == null || method.matcher(requestMethod).matches()) && path.matcher(requestPath).find();
        }

        Map<String, Object> describe() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("remaining", remaining);
            map.put("method", method == null ? null : method.pattern());
            map.put("pathPattern", path.pattern());
            map.put("status", status);
            map.put("retryAfterSeconds", retryAfterSeconds);
            return map;
        }
    }

    private static final double DEFAULT_RETRY_AFTER_SECONDS = 2.128;

    private final Random random;
    private final Map<String, AtomicLong> statistics = new ConcurrentHashMap<>();

    private long replicationMinMillis;
    private long replicationMaxMillis;
    private ReplicationAnswer synchronizationReplicationAnswer = ReplicationAnswer.NOT_FOUND;
    private int instantiateNotFoundNext;
    private double instantiateNotFoundRate;
    private int writeLimitPerSecond;
    private final Deque<Long> recentWrites = new ArrayDeque<>();
    private final List<PathRule> throttleRules = new ArrayList<>();
    private final List<PathRule> failRules = new ArrayList<>();
    private double transientRate;
    private List<Integer> transientStatuses = List.of(503);
    private boolean rejectAllScimTokens;
    private final Set<String> rejectedScimAccounts = new HashSet<>();
    private final java.util.Map<String, Set<String>> onlyOldScimTokens = new java.util.HashMap<>();
    private long latencyMinMillis;
    private long latencyMaxMillis;
    private int cloudflareRateLimitRequests;
    private long cloudflareRateWindowMillis;
    private final Deque<Long> recentCloudflareCalls = new ArrayDeque<>();
    private int duplicateAssignmentStatus = 400;

    TenantFaults(Random random) {
        this.random = random;
    }

    /**
     * Makes every object created from now on (application, service principal, job, assignment) visible to reads and
     * usable by writes that reference it only after a delay drawn uniformly from [min, max].
     */
    public synchronized TenantFaults replicationDelay(Duration min, Duration max) {
        checkRange(min.toMillis(), max.toMillis());
        this.replicationMinMillis = min.toMillis();
        this.replicationMaxMillis = max.toMillis();
        return this;
    }

    /** Chooses whether synchronization calls on objects not yet replicated answer 404 (default) or 403. */
    public synchronized TenantFaults synchronizationReplicationAnswer(ReplicationAnswer answer) {
        this.synchronizationReplicationAnswer = answer;
        return this;
    }

    /** Makes the next {@code count} instantiate calls answer 404 although they create the application. */
    public synchronized TenantFaults instantiateNotFoundNext(int count) {
        this.instantiateNotFoundNext = count;
        return this;
    }

    /** Makes each instantiate call answer 404 with the given probability, although it creates the application. */
    public synchronized TenantFaults instantiateNotFoundRate(double probability) {
        this.instantiateNotFoundRate = checkProbability(probability);
        return this;
    }

    /**
     * Refuses Graph writes (POST, PUT, PATCH, DELETE) beyond {@code writesPerSecond} in any one-second window with
     * 429 TooManyRequests and a Retry-After saying when a write will be accepted again; 0 turns the limit off.
     */
    public synchronized TenantFaults writeLimit(int writesPerSecond) {
        this.writeLimitPerSecond = Math.max(0, writesPerSecond);
        recentWrites.clear();
        return this;
    }

    /**
     * Answers the next {@code count} calls whose method matches {@code methodPattern} (null for any) and whose path
     * contains a match of {@code pathPattern} with 429, in the shape of the service called.
     */
    public synchronized TenantFaults throttleNext(int count, String methodPattern, String pathPattern,
            double retryAfterSeconds) {
        throttleRules.add(new PathRule(count, methodPattern, pathPattern, 429, retryAfterSeconds));
        return this;
    }

    /** Same as {@link #throttleNext(int, String, String, double)} with Retry-After 2.128 seconds. */
    public synchronized TenantFaults throttleNext(int count, String methodPattern, String pathPattern) {
        return throttleNext(count, methodPattern, pathPattern, DEFAULT_RETRY_AFTER_SECONDS);
    }

    /**
     * Fails each Graph call with the given probability, before it does anything, with a status drawn from
     * {@code statuses} (500, 503 or 504; 503 when none is given).
     */
    public synchronized TenantFaults transientErrorRate(double probability, int... statuses) {
        this.transientRate = checkProbability(probability);
        List<Integer> list = new ArrayList<>();
        for (int status : statuses) {
            list.add(status);
        }
        this.transientStatuses = list.isEmpty() ? List.of(503) : List.copyOf(list);
        return this;
    }

    /**
     * Answers the next {@code count} matching calls (any service) with {@code status}, before they do anything.
     */
    public synchronized TenantFaults failNext(int count, String methodPattern, String pathPattern, int status) {
        failRules.add(new PathRule(count, methodPattern, pathPattern, status, 0));
        return this;
    }

    /** Makes the SCIM endpoint and validateCredentials refuse every token of this account, live or not. */
    public synchronized TenantFaults rejectScimTokens(String accountId) {
        rejectedScimAccounts.add(accountId);
        return this;
    }

    /** Makes the SCIM endpoint and validateCredentials refuse every token of every account. */
    public synchronized TenantFaults rejectAllScimTokens(boolean reject) {
        this.rejectAllScimTokens = reject;
        return this;
    }

    /**
     * Makes the SCIM endpoint and validateCredentials refuse every token of this account that is not among the given
     * ones: tokens minted from now on are refused, as when an account's SCIM provisioning breaks for new tokens.
     */
    synchronized TenantFaults rejectScimTokensExcept(String accountId, Set<String> acceptedTokenIds) {
        onlyOldScimTokens.put(accountId, Set.copyOf(acceptedTokenIds));
        return this;
    }

    /** Accepts live SCIM tokens of this account again. */
    public synchronized TenantFaults acceptScimTokens(String accountId) {
        onlyOldScimTokens.remove(accountId);
        rejectedScimAccounts.remove(accountId);
        return this;
    }

    /** Delays each Graph call by a time drawn uniformly from [min, max]. */
    public synchronized TenantFaults latency(Duration min, Duration max) {
        checkRange(min.toMillis(), max.toMillis());
        this.latencyMinMillis = min.toMillis();
        this.latencyMaxMillis = max.toMillis();
        return this;
    }

    /** Refuses Cloudflare calls beyond {@code requests} per {@code window} with 429; 0 requests turns it off. */
    public synchronized TenantFaults cloudflareRateLimit(int requests, Duration window) {
        this.cloudflareRateLimitRequests = Math.max(0, requests);
        this.cloudflareRateWindowMillis = window.toMillis();
        recentCloudflareCalls.clear();
        return this;
    }

    /**
     * Chooses the status of a duplicate app role assignment: 400 Request_BadRequest as real Graph answers
     * (default), or 409.
     */
    public synchronized TenantFaults duplicateAssignmentStatus(int status) {
        if (status != 400 && status != 409) {
            throw new IllegalArgumentException("duplicate assignment status must be 400 or 409");
        }
        this.duplicateAssignmentStatus = status;
        return this;
    }

    /** Turns every fault off and forgets the statistics. */
    public synchronized TenantFaults clear() {
        replicationMinMillis = 0;
        replicationMaxMillis = 0;
        synchronizationReplicationAnswer = ReplicationAnswer.NOT_FOUND;
        instantiateNotFoundNext = 0;
        instantiateNotFoundRate = 0;
        writeLimitPerSecond = 0;
        recentWrites.clear();
        throttleRules.clear();
        failRules.clear();
        transientRate = 0;
        transientStatuses = List.of(503);
        rejectAllScimTokens = false;
        rejectedScimAccounts.clear();
        onlyOldScimTokens.clear();
        latencyMinMillis = 0;
        latencyMaxMillis = 0;
        cloudflareRateLimitRequests = 0;
        cloudflareRateWindowMillis = 0;
        recentCloudflareCalls.clear();
        duplicateAssignmentStatus = 400;
        statistics.clear();
        return this;
    }

    /** How often each kind of fault has fired since the last clear, by kind name. */
    public Map<String, Long> statistics() {
        Map<String, Long> copy = new TreeMap<>();
        statistics.forEach((kind, count) -> copy.put(kind, count.get()));
        return copy;
    }

    /** The current configuration, for the control API. */
    synchronized Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("replicationDelayMs", Map.of("min", replicationMinMillis, "max", replicationMaxMillis));
        map.put("synchronizationReplicationAnswer", synchronizationReplicationAnswer.name());
        map.put("instantiateNotFound", Map.of("next", instantiateNotFoundNext, "rate", instantiateNotFoundRate));
        map.put("writeLimit", Map.of("perSecond", writeLimitPerSecond));
        map.put("throttleNext", throttleRules.stream().map(PathRule::describe).toList());
        map.put("failNext", failRules.stream().map(PathRule::describe).toList());
        map.put("transient", Map.of("rate", transientRate, "statuses", transientStatuses));
        map.put("rejectScimTokens", Map.of("all", rejectAllScimTokens, "accounts",
                rejectedScimAccounts.stream().sorted().toList()));
        map.put("latencyMs", Map.of("min", latencyMinMillis, "max", latencyMaxMillis));
        map.put("cloudflareRateLimit", Map.of("requests", cloudflareRateLimitRequests,
                "windowSeconds", cloudflareRateWindowMillis / 1000.0));
        map.put("duplicateAssignmentStatus", duplicateAssignmentStatus);
        return map;
    }

    /** Counts one firing of a fault kind. */
    void count(String kind) {
        statistics.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** The replication delay for one new object, in milliseconds. */
    synchronized long drawReplicationDelay() {
        long delay = draw(replicationMinMillis, replicationMaxMillis);
        if (delay > 0) {
            count(REPLICATION_DELAYED);
        }
        return delay;
    }

    /** The configured answer for synchronization calls on objects not yet replicated. */
    synchronized ReplicationAnswer synchronizationReplicationAnswer() {
        return synchronizationReplicationAnswer;
    }

    /** Whether this instantiate call should answer 404 after creating; consumes one of the next-N budget. */
    synchronized boolean takeInstantiateNotFound() {
        if (instantiateNotFoundNext > 0) {
            instantiateNotFoundNext--;
            return true;
        }
        return instantiateNotFoundRate > 0 && random.nextDouble() < instantiateNotFoundRate;
    }

    /**
     * Admits one Graph write under the write limit: null when admitted (and then counted in the window), else the
     * seconds until a write will be admitted again.
     */
    synchronized Double admitWrite(long nowMillis) {
        if (writeLimitPerSecond <= 0) {
            return null;
        }
        while (!recentWrites.isEmpty() && recentWrites.peekFirst() <= nowMillis - 1000) {
            recentWrites.pollFirst();
        }
        if (recentWrites.size() >= writeLimitPerSecond) {
            long waitMillis = recentWrites.peekFirst() + 1000 - nowMillis;
            return Math.max(0.001, waitMillis / 1000.0);
        }
        recentWrites.addLast(nowMillis);
        return null;
    }

    /** The throttle rule this call consumes, or null. */
    synchronized PathRule takeThrottle(String method, String path) {
        return take(throttleRules, method, path);
    }

    /** The fail-next rule this call consumes, or null. */
    synchronized PathRule takeFailure(String method, String path) {
        return take(failRules, method, path);
    }

    /** The status of a random transient failure for this Graph call, or 0 for none. */
    synchronized int drawTransientStatus() {
        if (transientRate <= 0 || random.nextDouble() >= transientRate) {
            return 0;
        }
        return transientStatuses.get(random.nextInt(transientStatuses.size()));
    }

    /** Whether this SCIM token of this account is being rejected. */
    synchronized boolean scimTokenRejected(String accountId, String tokenId) {
        Set<String> accepted = onlyOldScimTokens.get(accountId);
        return rejectAllScimTokens || rejectedScimAccounts.contains(accountId)
                || (accepted != null && !accepted.contains(tokenId));
    }

    /** The latency for one Graph call, in milliseconds. */
    synchronized long drawLatency() {
        return draw(latencyMinMillis, latencyMaxMillis);
    }

    /** Admits one Cloudflare call under the rate limit: null when admitted, else the seconds to wait. */
    synchronized Double admitCloudflareCall(long nowMillis) {
        if (cloudflareRateLimitRequests <= 0) {
            return null;
        }
        while (!recentCloudflareCalls.isEmpty()
                && recentCloudflareCalls.peekFirst() <= nowMillis - cloudflareRateWindowMillis) {
            recentCloudflareCalls.pollFirst();
        }
        if (recentCloudflareCalls.size() >= cloudflareRateLimitRequests) {
            long waitMillis = recentCloudflareCalls.peekFirst() + cloudflareRateWindowMillis - nowMillis;
            return Math.max(1, Math.ceil(waitMillis / 1000.0));
        }
        recentCloudflareCalls.addLast(nowMillis);
        return null;
    }

    /** The status a duplicate assignment answers. */
    synchronized int duplicateAssignmentStatus() {
        return duplicateAssignmentStatus;
    }

    /** Formats seconds for a Retry-After header: whole numbers plain, fractions with up to three decimals. */
    static String formatSeconds(double seconds) {
        if (seconds == Math.rint(seconds)) {
            return Long.toString((long) seconds);
        }
        String text = String.format(Locale.ROOT, "%.3f", seconds);
        return text.replaceAll("0+$", "");
    }

    private static PathRule take(List<PathRule> rules, String method, String path) {
        for (PathRule rule : rules) {
            if (rule.remaining > 0 && rule.matches(method, path)) {
                rule.remaining--;
                return rule;
            }
        }
        rules.removeIf(rule -> rule.remaining <= 0);
        return null;
    }

    private long draw(long min, long max) {
        if (max <= 0) {
            return 0;
        }
        return min + (max == min ? 0 : (long) (random.nextDouble() * (max - min + 1)));
    }

    private static void checkRange(long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + ".." + max);
        }
    }

    private static double checkProbability(double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be within [0, 1], got " + probability);
        }
        return probability;
    }
}
