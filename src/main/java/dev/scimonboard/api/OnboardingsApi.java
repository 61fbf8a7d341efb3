package dev.scimonboard.api;

import static dev.scimonboard.Logs.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.api.Problem.FieldError;
import dev.scimonboard.callback.CallbackHosts;
import dev.scimonboard.keyvault.SecretReference;
import dev.scimonboard.pipeline.StepMessage;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepQueues;
import dev.scimonboard.status.DesiredState;
import dev.scimonboard.status.HistoryEntry;
import dev.scimonboard.status.JobHealth;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.OnboardingError;
import dev.scimonboard.status.OnboardingState;
import dev.scimonboard.status.StatusConflict;
import dev.scimonboard.status.StatusPage;
import dev.scimonboard.status.StatusStore;
import dev.scimonboard.steps.Planner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The onboardings resource: accept a request, record it and queue its first step; answer with status documents.
 * It never calls Graph, so a caller never waits on Entra.
 */
public final class OnboardingsApi {
    /** Where the API lives under the host. */
    public static final String BASE_PATH = "/api/onboardings";
    /** How long callers are asked to wait between polls, in seconds. */
    static final String RETRY_AFTER_SECONDS = "5";
    /** A queued onboarding whose first message has not run for this long had its message lost; it is sent again. */
    static final Duration STALLED_AFTER = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(OnboardingsApi.class.getName());
    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_CONFLICT_RETRIES = 10;
    /** The most entries one bulk request may hold. */
    static final int MAX_BULK_ENTRIES = 1000;
    /** The largest bulk body accepted: 1,000 entries of about 4 KiB each. */
    static final int MAX_BULK_BYTES = 4 * 1024 * 1024;
    private static final Set<String> LIST_PARAMETERS = Set.of("state", "health", "top", "continuation", "code");
    private static final Set<String> HEALTH_VALUES = Set.of(JobHealth.HEALTHY, JobHealth.QUARANTINED,
        JobHealth.PAUSED);
    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final StatusStore store;
    private final StepQueues queues;
    private final Clock clock;
    private final Set<String> keyVaults;
    private final Supplier<Planner> planner;
    private final CallbackHosts callbackHosts;

    /**
     * Creates the API.
     *
     * @param store the status table
     * @param queues the step queues
     * @param clock the clock
     * @param keyVaults the Key Vaults whose secrets a request may name as the SCIM token, as
     *     {@link SecretReference#vaultRoot} gives them; empty when none
     * @param callbackHosts the hosts a request's {@code callbackUrl} may name
     * @param planner the planner of dry runs, built on first use (it needs the Graph client)
     */
    public OnboardingsApi(StatusStore store, StepQueues queues, Clock clock, Set<String> keyVaults,
        CallbackHosts callbackHosts, Supplier<Planner> planner) {
        this.store = store;
        this.queues = queues;
        this.clock = clock;
        this.keyVaults = Set.copyOf(keyVaults);
        this.planner = planner;
        this.callbackHosts = callbackHosts;
    }

    /**
     * {@code PUT /api/onboardings/{accountId}}: onboard an account, or converge it to a new desired state.
     *
     * @param accountId the account id from the URL
     * @param contentType the request's Content-Type, possibly null
     * @param body the body, possibly null
     * @param correlationId the caller's {@code x-correlation-id}, possibly null
     * @return 202 with the status document, or a problem
     */
    public ApiResponse put(String accountId, String contentType, String body, String correlationId) {
        return put(accountId, contentType, body, correlationId, null);
    }

    /**
     * {@code PUT /api/onboardings/{accountId}[?dryRun=true]}: onboard an account, or say what that would change.
     *
     * @param accountId the account id from the URL
     * @param contentType the request's Content-Type, possibly null
     * @param body the body, possibly null
     * @param correlationId the caller's {@code x-correlation-id}, possibly null
     * @param dryRun the {@code dryRun} query parameter, possibly null
     * @return 202 with the status document, 200 with the plan of a dry run, or a problem
     */
    public ApiResponse put(String accountId, String contentType, String body, String correlationId, String dryRun) {
        DesiredState desired;
        boolean plan;
        try {
            OnboardingRequests.checkAccountId(accountId);
            plan = dryRun(dryRun);
            if (body != null && !body.isBlank() && !isJson(contentType)) {
                return problem(Problem.unsupportedMediaType(contentType == null ? "" : contentType));
            }
            desired = OnboardingRequests.parse(body, keyVaults, callbackHosts);
        } catch (InvalidRequest e) {
            return problem(e.problem());
        }
        if (plan) {
            Optional<Onboarding> existing = store.find(accountId);
            return plan("PUT", accountId, existing, () -> planner.get().onboarding(accountId, existing, desired));
        }
        try {
            return accepted(start(accountId, desired, correlationId(correlationId)).onboarding());
        } catch (StatusConflict e) {
            return problem(Problem.unavailable("The account's status kept changing; send the request again."));
        }
    }

    /**
     * {@code POST /api/onboardings} with {@code {"accounts":[...]}}: many onboardings in one request, each entry a
     * PUT body plus its {@code accountId}. Every entry is answered on its own: valid entries are accepted even when
     * others are rejected.
     *
     * @param contentType the request's Content-Type, possibly null
     * @param body the body
     * @return 202 with one result per entry, in order; or a problem when the request as a whole is unusable
     */
    public ApiResponse bulk(String contentType, String body) {
        JsonNode accounts;
        try {
            if (body == null || body.isBlank()) {
                throw new InvalidRequest(Problem.invalid("The body must be {\"accounts\":[...]} with 1 to "
                    + MAX_BULK_ENTRIES + " entries.", List.of()));
            }
            if (!isJson(contentType)) {
                return problem(Problem.unsupportedMediaType(contentType == null ? "" : contentType));
            }
            JsonNode root = OnboardingRequests.readObject(body, MAX_BULK_BYTES, "Split the accounts over several "
                + "requests.", "{\"accounts\":[{\"accountId\":\"<32 hex>\"}]}");
            accounts = root.get("accounts");
            List<FieldError> errors = new ArrayList<>();
            root.fieldNames().forEachRemaining(name -> {
                if (!"accounts".equals(name)) {
                    errors.add(new FieldError("/" + OnboardingRequests.printable(name, 40),
                        "unknown field; the body has one field, accounts"));
                }
            });
            if (accounts == null || !accounts.isArray() || accounts.isEmpty()
                || accounts.size() > MAX_BULK_ENTRIES) {
                errors.add(new FieldError("/accounts", "must be an array of 1 to " + MAX_BULK_ENTRIES
                    + " entries, each a PUT body with its accountId"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidRequest(Problem.invalid("The body is not a bulk request; see errors.", errors));
            }
        } catch (InvalidRequest e) {
            return problem(e.problem());
        }

        ArrayNode results = StatusDocuments.JSON.createArrayNode();
        Map<String, Integer> seen = new HashMap<>();
        int accepted = 0;
        for (int i = 0; i < accounts.size(); i++) {
            ObjectNode result = results.addObject();
            result.put("index", i);
            JsonNode entry = accounts.get(i);
            JsonNode id = entry.get("accountId");
            String accountId = id != null && id.isTextual() ? id.textValue() : null;
            result.put("accountId", accountId);
            try {
                if (!entry.isObject()) {
                    throw new InvalidRequest(Problem.invalid("Entry " + i + " must be an object such as "
                        + "{\"accountId\":\"<32 hex>\"}.", List.of()));
                }
                OnboardingRequests.checkAccountId(accountId);
                Integer earlier = seen.putIfAbsent(accountId, i);
                if (earlier != null) {
                    throw new InvalidRequest(Problem.invalid("Account " + accountId + " is already entry " + earlier
                        + " of this request; name each account once.", List.of()));
                }
                ObjectNode fields = ((ObjectNode) entry).deepCopy();
                fields.remove("accountId");
                DesiredState desired = OnboardingRequests.desiredState(fields, keyVaults, callbackHosts);
                Accepted started = start(accountId, desired, correlationId(null));
                result.put("status", "accepted");
                result.put("started", started.started());
                result.put("location", BASE_PATH + "/" + accountId);
                result.set("onboarding", StatusDocuments.write(started.onboarding()));
                accepted++;
            } catch (InvalidRequest e) {
                result.put("status", "rejected");
                result.set("problem", StatusDocuments.JSON.valueToTree(e.problem()));
            } catch (StatusConflict e) {
                result.put("status", "rejected");
                result.set("problem", StatusDocuments.JSON.valueToTree(Problem.unavailable("The account's status "
                    + "kept changing; send this entry again.")));
            }
        }
        ObjectNode doc = StatusDocuments.JSON.createObjectNode();
        doc.put("accepted", accepted);
        doc.put("rejected", accounts.size() - accepted);
        doc.set("results", results);
        LOG.info(line("bulk request answered", "entries", accounts.size(), "accepted", accepted));
        return json(202, Map.of(), doc);
    }

    /**
     * Starts an onboarding, as a PUT does and as an onboarding event does: records the desired state and queues the
     * first step, unless an onboarding of the account is already under way, which is then left as it is. An ended
     * onboarding is converged to the new desired state by a new run that reuses what it found.
     *
     * @param accountId a valid Cloudflare account id
     * @param desired the validated desired state
     * @param correlationId a safe correlation id for the new run (see {@link #correlationId(String)})
     * @return the onboarding as written or found, and whether this call started it
     * @throws StatusConflict when other writers kept changing the account's status; the caller tries again later
     */
    public Accepted start(String accountId, DesiredState desired, String correlationId) {
        StatusConflict last = null;
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            try {
                return accept(accountId, desired, correlationId);
            } catch (StatusConflict e) {
                last = e;
                LOG.fine(line("another request wrote the account at the same moment; reading it again",
                    "accountId", accountId));
            }
        }
        throw last;
    }

    /**
     * {@code DELETE /api/onboardings/{accountId}}: offboard an account. Starts the removal steps (job, application,
     * minted tokens) as a new run that replaces any run under way; the status goes {@code deleting}, then
     * {@code deleted}. Repeating it while it runs, or after it ended, starts nothing.
     *
     * @param accountId the account id from the URL
     * @param correlationId the caller's {@code x-correlation-id}, possibly null
     * @param dryRun the {@code dryRun} query parameter, possibly null: {@code true} answers what would be removed
     * @return 202 with the status document while deleting, 200 once deleted or for a dry run, 404 for an unknown
     *     account, or a problem
     */
    public ApiResponse delete(String accountId, String correlationId, String dryRun) {
        boolean plan;
        try {
            OnboardingRequests.checkAccountId(accountId);
            plan = dryRun(dryRun);
        } catch (InvalidRequest e) {
            return problem(e.problem());
        }
        if (plan) {
            Optional<Onboarding> existing = store.find(accountId);
            if (existing.isEmpty()) {
                return problem(Problem.notFound(accountId));
            }
            return plan("DELETE", accountId, existing, existing.get().state() == OnboardingState.DELETED
                ? List::of : () -> planner.get().offboarding(existing.get()));
        }
        for (int conflicts = 0; conflicts < MAX_CONFLICT_RETRIES; conflicts++) {
            try {
                Optional<Onboarding> found = store.find(accountId);
                if (found.isEmpty()) {
                    return problem(Problem.notFound(accountId));
                }
                Onboarding onboarding = found.get();
                if (onboarding.state() == OnboardingState.DELETED) {
                    return json(200, Map.of(), StatusDocuments.write(onboarding));
                }
                if (onboarding.state() == OnboardingState.DELETING) {
                    resendIfStalled(onboarding);
                    return accepted(onboarding);
                }
                return accepted(startOffboarding(onboarding, correlationId(correlationId)));
            } catch (StatusConflict e) {
                LOG.fine(line("another request wrote the account at the same moment; reading it again",
                    "accountId", accountId));
            }
        }
        return unavailable();
    }

    /** Reads the {@code dryRun} query parameter. */
    private static boolean dryRun(String value) throws InvalidRequest {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new InvalidRequest(Problem.invalid("The query has an invalid parameter; see errors.",
            List.of(new FieldError("dryRun", "must be true or false, not '" + OnboardingRequests.printable(value, 40)
                + "'"))));
    }

    /**
     * The answer of a dry run: what the request would change, read from Entra and Cloudflare, nothing written.
     */
    private ApiResponse plan(String method, String accountId, Optional<Onboarding> existing,
        Supplier<List<Planner.Change>> changes) {
        List<Planner.Change> planned;
        try {
            planned = changes.get();
        } catch (TransientFailure e) {
            ApiResponse problem = problem(Problem.unavailable("The plan could not be made: " + e.getMessage()
                + ". Send the request again shortly."));
            Map<String, String> headers = new LinkedHashMap<>(problem.headers());
            headers.put("Retry-After", Long.toString(Math.max(1, e.retryAfter().map(Duration::toSeconds)
                .orElse(5L))));
            return new ApiResponse(problem.status(), headers, problem.body());
        } catch (OnboardingFailure e) {
            return problem(Problem.upstreamRefused("The plan could not be made: " + e.getMessage()));
        }
        ObjectNode doc = StatusDocuments.JSON.createObjectNode();
        doc.put("accountId", accountId);
        doc.put("dryRun", true);
        doc.put("method", method);
        ArrayNode list = doc.putArray("changes");
        for (Planner.Change change : planned) {
            list.addObject().put("service", change.service()).put("action", change.action())
                .put("target", change.target()).put("detail", change.detail());
        }
        if (existing.isPresent()) {
            doc.set("onboarding", StatusDocuments.write(existing.get()));
        } else {
            doc.putNull("onboarding");
        }
        LOG.info(line("dry run answered; nothing written", "accountId", accountId, "method", method, "changes",
            planned.size()));
        return json(200, Map.of(), doc);
    }

    /** Sends the first removal again when it should have run long ago: lost between the status write and the send. */
    private void resendIfStalled(Onboarding onboarding) {
        Instant now = clock.instant();
        if (onboarding.leaseOwner() == null && onboarding.committedBy() == null
            && StepName.firstOfOffboarding().queueName().equals(onboarding.step())
            && onboarding.updatedAt().plus(STALLED_AFTER).isBefore(now)) {
            send(onboarding, now);
        }
    }

    private Onboarding startOffboarding(Onboarding onboarding, String correlationId) {
        Instant now = clock.instant();
        String runId = UUID.randomUUID().toString();
        Onboarding written = store.replace(onboarding.toBuilder()
            .state(OnboardingState.DELETING)
            .step(StepName.firstOfOffboarding().queueName())
            .runId(runId)
            .correlationId(correlationId)
            .sequence(onboarding.sequence() + 1)
            .committedBy(null)
            .error(null)
            .callback(null)
            .addHistory(new HistoryEntry("request", "accepted", 1, now, "offboarding requested"))
            .updatedAt(now)
            .build());
        // The lease of a step still working for the replaced run stays: the first removal waits for it to lapse.
        try {
            send(written, now);
        } catch (RuntimeException e) {
            store.replace(written.toBuilder()
                .state(OnboardingState.FAILED)
                .error(new OnboardingError("request", "QueueUnavailable", "The first removal step could not be "
                    + "queued: " + e.getMessage() + ". Send the DELETE again."))
                .updatedAt(clock.instant())
                .build());
            throw e;
        }
        LOG.info(line("offboarding accepted; first removal step queued", "accountId", onboarding.accountId(),
            "correlationId", correlationId, "runId", runId, "previousState", onboarding.state().wireName()));
        return written;
    }

    /**
     * The correlation id a run gets: the one offered when it is a short, safe token (it ends up in log lines and
     * queue messages), else a new UUID.
     *
     * @param offered the caller's correlation id or event id, possibly null
     * @return the id to use
     */
    public static String correlationId(String offered) {
        return offered != null && CORRELATION_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    /**
     * What {@link #start} did.
     *
     * @param onboarding the onboarding as written, or as found under way
     * @param started whether a new run was started; false when one was already under way
     */
    public record Accepted(Onboarding onboarding, boolean started) {
    }

    /**
     * {@code GET /api/onboardings/{accountId}}.
     *
     * @param accountId the account id from the URL
     * @return 200 with the status document, 404, or a problem
     */
    public ApiResponse get(String accountId) {
        try {
            OnboardingRequests.checkAccountId(accountId);
        } catch (InvalidRequest e) {
            return problem(e.problem());
        }
        return store.find(accountId)
            .map(o -> json(200, Map.of(), StatusDocuments.write(o)))
            .orElseGet(() -> problem(Problem.notFound(accountId)));
    }

    /**
     * {@code GET /api/onboardings?state=&health=&top=&continuation=}: a page of status documents.
     *
     * @param query the query parameters
     * @return 200 with {@code value} and, when there is more, {@code nextLink}; or a problem
     */
    public ApiResponse list(Map<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        for (String name : query.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                errors.add(new FieldError(OnboardingRequests.printable(name, 40),
                    "unknown parameter; the parameters are state, health, top and continuation"));
            }
        }
        OnboardingState state = null;
        String stateText = query.get("state");
        if (stateText != null) {
            try {
                state = OnboardingState.fromWireName(stateText);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "must be one of queued, running, succeeded, failed, deleting, "
                    + "deleted"));
            }
        }
        String health = query.get("health");
        if (health != null && !HEALTH_VALUES.contains(health)) {
            errors.add(new FieldError("health", "must be one of healthy, quarantined, paused"));
        }
        int top = DEFAULT_PAGE_SIZE;
        String topText = query.get("top");
        if (topText != null) {
            try {
                top = Integer.parseInt(topText);
                if (top < 1 || top > MAX_PAGE_SIZE) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("top", "must be a whole number from 1 to " + MAX_PAGE_SIZE));
            }
        }
        if (!errors.isEmpty()) {
            return problem(Problem.invalid("The query has invalid parameters; see errors.", errors));
        }

        StatusPage page;
        try {
            page = store.list(state, health, top, query.get("continuation"));
        } catch (IllegalArgumentException e) {
            return problem(Problem.invalid("The continuation parameter is not one this API gave; start again "
                + "from the first page.", List.of(new FieldError("continuation", e.getMessage()))));
        }
        ObjectNode doc = StatusDocuments.JSON.createObjectNode();
        ArrayNode value = doc.putArray("value");
        page.items().forEach(o -> value.add(StatusDocuments.write(o)));
        if (page.continuation() != null) {
            StringBuilder next = new StringBuilder(BASE_PATH).append("?top=").append(top);
            if (state != null) {
                next.append("&state=").append(state.wireName());
            }
            if (health != null) {
                next.append("&health=").append(health);
            }
            next.append("&continuation=").append(URLEncoder.encode(page.continuation(), StandardCharsets.UTF_8));
            doc.put("nextLink", next.toString());
        } else {
            doc.putNull("nextLink");
        }
        return json(200, Map.of(), doc);
    }

    private Accepted accept(String accountId, DesiredState desired, String correlationId) {
        Instant now = clock.instant();
        Optional<Onboarding> found = store.find(accountId);

        if (found.isPresent() && !found.get().state().ended()) {
            Onboarding running = found.get();
            if (running.state() == OnboardingState.QUEUED && running.updatedAt().plus(STALLED_AFTER).isBefore(now)) {
                // The first message should have run long ago: it was lost between the status write and the send.
                send(running, now);
            }
            LOG.info(line("onboarding already under way; nothing new started", "accountId", accountId,
                "correlationId", running.correlationId(), "state", running.state().wireName()));
            return new Accepted(running, false);
        }

        String runId = UUID.randomUUID().toString();
        HistoryEntry requested = new HistoryEntry("request", "accepted", 1, now, desired.reference() == null
            ? "onboarding requested" : "onboarding requested (reference " + desired.reference() + ")");
        Onboarding.Builder next = found.map(Onboarding::toBuilder).orElseGet(() -> new Onboarding.Builder()
            .accountId(accountId)
            .createdAt(now));
        next.state(OnboardingState.QUEUED)
            .step(StepName.first().queueName())
            .runId(runId)
            .correlationId(correlationId)
            .sequence(found.map(o -> o.sequence() + 1).orElse(1L))
            .committedBy(null)
            .lease(null, null)
            .desired(desired)
            .error(null)
            .callback(null)
            .addHistory(requested)
            .updatedAt(now);
        Onboarding written = found.isPresent() ? store.replace(next.build()) : store.insert(next.build());

        try {
            send(written, now);
        } catch (RuntimeException e) {
            store.replace(written.toBuilder()
                .state(OnboardingState.FAILED)
                .error(new OnboardingError("request", "QueueUnavailable", "The first step could not be queued: "
                    + e.getMessage() + ". Send the PUT again."))
                .updatedAt(clock.instant())
                .build());
            throw e;
        }
        LOG.info(line("onboarding accepted; first step queued", "accountId", accountId, "correlationId",
            correlationId, "runId", runId, "converging", found.isPresent()));
        return new Accepted(written, true);
    }

    private void send(Onboarding onboarding, Instant now) {
        StepName step = StepName.fromQueueName(onboarding.step()).orElse(StepName.first());
        queues.send(StepMessage.first(onboarding.accountId(), onboarding.runId(), onboarding.correlationId(), step,
            onboarding.sequence(), now), Duration.ZERO);
    }

    private static ApiResponse accepted(Onboarding onboarding) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", BASE_PATH + "/" + onboarding.accountId());
        headers.put("Retry-After", RETRY_AFTER_SECONDS);
        headers.put("x-correlation-id", onboarding.correlationId());
        return json(202, headers, StatusDocuments.write(onboarding));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static ApiResponse json(int status, Map<String, String> headers, ObjectNode body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json; charset=utf-8");
        return new ApiResponse(status, all, body.toString());
    }

    /**
     * The answer to a method the resource does not support.
     *
     * @param method the method used
     * @param allowed the methods allowed, for the {@code Allow} header
     * @return 405 as a problem
     */
    public static ApiResponse methodNotAllowed(String method, String allowed) {
        ApiResponse problem = problem(Problem.methodNotAllowed(method, allowed));
        Map<String, String> headers = new LinkedHashMap<>(problem.headers());
        headers.put("Allow", allowed);
        return new ApiResponse(problem.status(), headers, problem.body());
    }

    /**
     * The answer when the API itself cannot work (storage unreachable, settings missing): 503, try again later.
     *
     * @return the response
     */
    public static ApiResponse unavailable() {
        return problem(Problem.unavailable("The onboarding service cannot reach its storage right now. "
            + "Send the request again in a minute."));
    }

    /**
     * A problem answer.
     *
     * @param problem the problem
     * @return the response
     */
    public static ApiResponse problem(Problem problem) {
        try {
            return new ApiResponse(problem.status(), Map.of("Content-Type", Problem.MEDIA_TYPE),
                StatusDocuments.JSON.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem document", e);
        }
    }
}
