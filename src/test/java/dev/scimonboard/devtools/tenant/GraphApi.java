package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0 as far as onboarding uses it: application templates, applications, service principals,
 * synchronization jobs and secrets, and app role assignments. Requests are authenticated with tokens of this
 * tenant's managed identity endpoint and authorized against the permissions granted at the time of the request.
 */
final class GraphApi {

    /** The non-gallery ("custom") application template in the global, US Gov and China clouds. */
    static final Set<String> NON_GALLERY_TEMPLATES = Set.of("8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
            "4602d0b4-76bb-404b-bca9-2652e1a39c6d", "5a532e38-1581-4918-9658-008dc27c1d68");

    /** Secret keys that a synchronization secrets call accepts; case matters. */
    static final Set<String> SECRET_KEYS = Set.of("BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings",
            "CompanyId", "ClientIdentifier", "ClientSecret", "Password", "UserName", "Domain", "TenantId");

    /** Secret keys whose values Graph never shows again. */
    static final Set<String> SENSITIVE_SECRET_KEYS = Set.of("SecretToken", "ClientSecret", "Password");

    static final String APPLICATION_READWRITE_OWNEDBY = "Application.ReadWrite.OwnedBy";
    static final String APPLICATION_READWRITE_ALL = "Application.ReadWrite.All";
    static final String APPLICATION_READ_ALL = "Application.Read.All";
    static final String SYNCHRONIZATION_READWRITE_ALL = "Synchronization.ReadWrite.All";
    static final String SYNCHRONIZATION_READ_ALL = "Synchronization.Read.All";
    static final String APPROLEASSIGNMENT_READWRITE_ALL = "AppRoleAssignment.ReadWrite.All";
    static final String DIRECTORY_READ_ALL = "Directory.Read.All";
    static final String DIRECTORY_READWRITE_ALL = "Directory.ReadWrite.All";

    private static final Set<String> READ_APPS = Set.of(APPLICATION_READ_ALL, APPLICATION_READWRITE_ALL,
            APPLICATION_READWRITE_OWNEDBY, DIRECTORY_READ_ALL, DIRECTORY_READWRITE_ALL);
    private static final Set<String> READ_SYNC = Set.of(APPLICATION_READ_ALL, APPLICATION_READWRITE_ALL,
            APPLICATION_READWRITE_OWNEDBY, SYNCHRONIZATION_READ_ALL, SYNCHRONIZATION_READWRITE_ALL,
            DIRECTORY_READ_ALL, DIRECTORY_READWRITE_ALL);
    private static final Set<String> WRITE_APPS_ANY_OWNER = Set.of(APPLICATION_READWRITE_ALL, DIRECTORY_READWRITE_ALL);
    private static final Set<String> WRITE_SYNC_ANY_OWNER = Set.of(APPLICATION_READWRITE_ALL,
            DIRECTORY_READWRITE_ALL, SYNCHRONIZATION_READWRITE_ALL);
    private static final Set<String> WRITE_ASSIGNMENTS = Set.of(APPROLEASSIGNMENT_READWRITE_ALL);
    private static final Set<String> READ_USERS = Set.of("User.Read.All", "User.ReadBasic.All", DIRECTORY_READ_ALL,
            DIRECTORY_READWRITE_ALL);
    private static final Set<String> READ_GROUPS = Set.of("Group.Read.All", "GroupMember.Read.All",
            DIRECTORY_READ_ALL, DIRECTORY_READWRITE_ALL);

    private static final Set<String> APPLICATION_FILTERABLE = Set.of("id", "appid", "displayname",
            "servicemanagementreference", "signinaudience");
    private static final Set<String> SERVICE_PRINCIPAL_FILTERABLE = Set.of("id", "appid", "displayname",
            "serviceprincipaltype", "accountenabled", "appownerorganizationid");
    private static final Pattern KEY_SEGMENT = Pattern.compile("^(\\w+)\\((?:appId=)?'((?:[^']|'')*)'\\)$");
    private static final DateTimeFormatter ERROR_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 999;

    /** A resource named in a URL, by object id or by appId with the OData key syntax. */
    private record Key(boolean byAppId, String value) {
    }

    private final TenantState state;
    private final TenantFaults faults;
    private final ManagedIdentityEndpoint identity;
    private final Set<String> grantedPermissions;
    private final IdentifierSource ids;
    private final CloudflareApi cloudflare;
    private final Supplier<String> graphBaseUrl;
    private final String tenantId;

    GraphApi(TenantState state, TenantFaults faults, ManagedIdentityEndpoint identity, Set<String> grantedPermissions,
            IdentifierSource ids, CloudflareApi cloudflare, Supplier<String> graphBaseUrl, String tenantId) {
        this.state = state;
        this.faults = faults;
        this.identity = identity;
        this.grantedPermissions = grantedPermissions;
        this.ids = ids;
        this.cloudflare = cloudflare;
        this.graphBaseUrl = graphBaseUrl;
        this.tenantId = tenantId;
    }

    /** Answers one request whose path starts with /v1.0. */
    EmulatedResponse handle(EmulatedRequest request) {
        try {
            long latency = faults.drawLatency();
            if (latency > 0) {
                faults.count(TenantFaults.LATENCY);
                pause(latency);
            }
            JsonNode caller = authenticate(request);
            applyFaults(request);
            List<String> path = request.segments().subList(1, request.segments().size());
            return route(request, path, caller);
        } catch (GraphError error) {
            return errorResponse(request, error);
        }
    }

    private JsonNode authenticate(EmulatedRequest request) {
        ManagedIdentityEndpoint.Verification verification = identity.verifyForGraph(request.header("Authorization"));
        if (!verification.accepted()) {
            throw new GraphError(401, "InvalidAuthenticationToken", verification.refusal().message)
                    .header("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline"
                            + ".com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
        }
        return verification.claims();
    }

    private void applyFaults(EmulatedRequest request) {
        TenantFaults.PathRule throttle = faults.takeThrottle(request.method(), request.rawPath());
        if (throttle != null) {
            faults.count(TenantFaults.THROTTLE_NEXT);
            throw tooManyRequests(throttle.retryAfterSeconds);
        }
        if (request.isWrite()) {
            Double retryAfter = faults.admitWrite(System.currentTimeMillis());
            if (retryAfter != null) {
                faults.count(TenantFaults.WRITE_LIMIT);
                throw tooManyRequests(retryAfter);
            }
        }
        TenantFaults.PathRule failure = faults.takeFailure(request.method(), request.rawPath());
        if (failure != null) {
            faults.count(TenantFaults.FAIL_NEXT);
            throw serverError(failure.status);
        }
        int transientStatus = faults.drawTransientStatus();
        if (transientStatus != 0) {
            faults.count(TenantFaults.TRANSIENT_ERROR);
            throw serverError(transientStatus);
        }
    }

    private GraphError tooManyRequests(double retryAfterSeconds) {
        return new GraphError(429, "TooManyRequests", "Please retry again later.")
                .header("Retry-After", TenantFaults.formatSeconds(retryAfterSeconds))
                .header("x-ms-throttle-scope", "Tenant_Application/ReadWrite/" + tenantId + "/"
                        + identity.systemClientId())
                .header("x-ms-throttle-information", "WriteLimitExceeded");
    }

    private static GraphError serverError(int status) {
        return switch (status) {
            case 503 -> new GraphError(503, "ServiceUnavailable",
                    "Service is temporarily unavailable. Please retry later.");
            case 504 -> new GraphError(504, "GatewayTimeout",
                    "The server, while acting as a proxy, did not receive a timely response from the upstream server.");
            case 500 -> new GraphError(500, "InternalServerError", "An internal server error occurred.");
            case 429 -> new GraphError(429, "TooManyRequests", "Please retry again later.").header("Retry-After", "1");
            default -> new GraphError(status, "UnknownError", "The request failed with status " + status + ".");
        };
    }

    private EmulatedResponse route(EmulatedRequest request, List<String> path, JsonNode caller) {
        if (path.isEmpty()) {
            throw invalidUri(request);
        }
        String first = path.get(0);
        Matcher keyed = KEY_SEGMENT.matcher(first);
        String collection = keyed.matches() ? keyed.group(1) : first;
        Key key = keyed.matches() ? new Key(true, keyed.group(2).replace("''", "'"))
                : path.size() > 1 ? new Key(false, path.get(1)) : null;
        List<String> rest = keyed.matches() ? path.subList(1, path.size())
                : path.size() > 2 ? path.subList(2, path.size()) : List.of();

        switch (collection) {
            case "applicationTemplates":
                if (!keyed.matches() && path.size() == 3 && "instantiate".equals(path.get(2))) {
                    requireMethod(request, "POST");
                    return instantiate(request, path.get(1), caller);
                }
                break;
            case "applications":
                if (key == null) {
                    requireMethod(request, "GET");
                    require(READ_APPS);
                    return listApplications(request);
                }
                if (rest.isEmpty()) {
                    return application(request, key, caller);
                }
                break;
            case "servicePrincipals":
                if (key == null) {
                    requireMethod(request, "GET");
                    require(READ_APPS);
                    return listServicePrincipals(request);
                }
                return servicePrincipalRoutes(request, key, rest, caller);
            case "directory":
                if (path.size() == 3 && "deletedItems".equals(path.get(1))) {
                    return deletedItem(request, path.get(2), caller);
                }
                break;
            case "users":
            case "groups":
                if (key != null && rest.isEmpty()) {
                    requireMethod(request, "GET");
                    require("users".equals(collection) ? READ_USERS : READ_GROUPS);
                    return principal(collection, key.value());
                }
                break;
            default:
                break;
        }
        throw invalidUri(request);
    }

    private EmulatedResponse servicePrincipalRoutes(EmulatedRequest request, Key key, List<String> rest,
            JsonNode caller) {
        if (rest.isEmpty()) {
            return servicePrincipal(request, key, caller);
        }
        if (rest.size() == 1 && "appRoleAssignedTo".equals(rest.get(0))) {
            return "POST".equals(request.method()) ? assign(request, key)
                    : "GET".equals(request.method()) ? listAssignments(key) : methodNotAllowed();
        }
        if (rest.size() == 2 && "appRoleAssignedTo".equals(rest.get(0))) {
            return "DELETE".equals(request.method()) ? unassign(key, rest.get(1)) : methodNotAllowed();
        }
        if (rest.size() >= 2 && "synchronization".equals(rest.get(0))) {
            String area = rest.get(1);
            if ("secrets".equals(area) && rest.size() == 2) {
                return "PUT".equals(request.method()) ? saveSecrets(request, key, caller)
                        : "GET".equals(request.method()) ? readSecrets(key) : methodNotAllowed();
            }
            if ("jobs".equals(area)) {
                if (rest.size() == 2) {
                    return "POST".equals(request.method()) ? createJob(request, key, caller)
                            : "GET".equals(request.method()) ? listJobs(key) : methodNotAllowed();
                }
                String jobId = rest.get(2);
                if (rest.size() == 3) {
                    return "GET".equals(request.method()) ? getJob(key, jobId)
                            : "DELETE".equals(request.method()) ? deleteJob(key, jobId, caller) : methodNotAllowed();
                }
                if (rest.size() == 4) {
                    String action = rest.get(3);
                    switch (action) {
                        case "start":
                            requireMethod(request, "POST");
                            return startJob(key, jobId, caller);
                        case "pause":
                            requireMethod(request, "POST");
                            return pauseJob(key, jobId, caller);
                        case "validateCredentials":
                            requireMethod(request, "POST");
                            return validateCredentials(request, key, jobId, caller);
                        default:
                            break;
                    }
                }
            }
        }
        throw invalidUri(request);
    }

    // ---- applications and service principals ----

    private EmulatedResponse instantiate(EmulatedRequest request, String templateId, JsonNode caller) {
        requireWrite(WRITE_APPS_ANY_OWNER, null, caller);
        if (!NON_GALLERY_TEMPLATES.contains(templateId.toLowerCase(Locale.ROOT))) {
            throw GraphError.notFound(templateId);
        }
        JsonNode body = readJsonObject(request);
        JsonNode displayNameNode = body.get("displayName");
        if (displayNameNode == null || !displayNameNode.isTextual() || displayNameNode.asText().isBlank()) {
            throw GraphError.badRequest("Invalid value specified for property 'displayName' of resource "
                    + "'Application'.");
        }
        String displayName = displayNameNode.asText();
        String reference = body.hasNonNull("serviceManagementReference")
                ? body.get("serviceManagementReference").asText() : null;

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long nowMillis = System.currentTimeMillis();
        String ownerId = caller.path("oid").asText(null);
        List<TenantState.AppRole> roles = List.of(
                new TenantState.AppRole(ids.guid(), "User", "User"),
                new TenantState.AppRole(ids.guid(), "msiam_access", "msiam_access"));
        String appId = ids.guid();
        TenantState.Application application = new TenantState.Application(ids.guid(), appId, displayName,
                templateId, reference, ownerId, now, nowMillis + faults.drawReplicationDelay(), roles);
        TenantState.ServicePrincipal servicePrincipal = new TenantState.ServicePrincipal(ids.guid(), appId,
                displayName, templateId, ownerId, now, nowMillis + faults.drawReplicationDelay(), roles,
                List.of("WindowsAzureActiveDirectoryCustomSingleSignOnApplication",
                        "WindowsAzureActiveDirectoryIntegratedApp"));
        synchronized (state) {
            state.applications.put(application.id, application);
            state.servicePrincipals.put(servicePrincipal.id, servicePrincipal);
        }

        // The known Entra flaw: the objects exist, yet the caller hears 404 and may post again.
        if (faults.takeInstantiateNotFound()) {
            faults.count(TenantFaults.INSTANTIATE_NOT_FOUND);
            throw GraphError.notFound(templateId);
        }
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("@odata.context", graphBaseUrl.get() + "/$metadata#microsoft.graph.applicationServicePrincipal");
        result.set("application", applicationJson(application));
        result.set("servicePrincipal", servicePrincipalJson(servicePrincipal));
        return EmulatedResponse.json(201, result);
    }

    private EmulatedResponse listApplications(EmulatedRequest request) {
        List<ObjectNode> items = new ArrayList<>();
        synchronized (state) {
            for (TenantState.Application application : state.applications.values()) {
                if (visible(application.visibleAt)) {
                    items.add(applicationJson(application));
                }
            }
        }
        return list(request, "applications", "Application", items, APPLICATION_FILTERABLE);
    }

    private EmulatedResponse application(EmulatedRequest request, Key key, JsonNode caller) {
        if ("GET".equals(request.method())) {
            require(READ_APPS);
        }
        TenantState.Application application;
        synchronized (state) {
            application = findApplication(key);
            if (application == null || !visible(application.visibleAt)) {
                countReplication(application);
                throw GraphError.notFound(key.value());
            }
            if ("GET".equals(request.method())) {
                ObjectNode json = applicationJson(application);
                json.put("@odata.context", graphBaseUrl.get() + "/$metadata#applications/$entity");
                return EmulatedResponse.json(200, selected(request, json));
            }
            if (!"DELETE".equals(request.method())) {
                return methodNotAllowed();
            }
            requireWrite(WRITE_APPS_ANY_OWNER, application.ownerId, caller);
            state.applications.remove(application.id);
            state.deletedApplications.put(application.id, application);
            TenantState.ServicePrincipal servicePrincipal = state.servicePrincipalOfApp(application.appId);
            if (servicePrincipal != null) {
                state.removeServicePrincipal(servicePrincipal.id);
            }
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse listServicePrincipals(EmulatedRequest request) {
        List<ObjectNode> items = new ArrayList<>();
        synchronized (state) {
            for (TenantState.ServicePrincipal servicePrincipal : state.servicePrincipals.values()) {
                if (visible(servicePrincipal.visibleAt)) {
                    items.add(servicePrincipalJson(servicePrincipal));
                }
            }
        }
        return list(request, "servicePrincipals", "ServicePrincipal", items, SERVICE_PRINCIPAL_FILTERABLE);
    }

    private EmulatedResponse servicePrincipal(EmulatedRequest request, Key key, JsonNode caller) {
        if ("GET".equals(request.method())) {
            require(READ_APPS);
        }
        synchronized (state) {
            TenantState.ServicePrincipal servicePrincipal = visibleServicePrincipal(key, false);
            if ("GET".equals(request.method())) {
                ObjectNode json = servicePrincipalJson(servicePrincipal);
                json.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals/$entity");
                return EmulatedResponse.json(200, selected(request, json));
            }
            if (!"DELETE".equals(request.method())) {
                return methodNotAllowed();
            }
            requireWrite(WRITE_APPS_ANY_OWNER, servicePrincipal.ownerId, caller);
            state.removeServicePrincipal(servicePrincipal.id);
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse deletedItem(EmulatedRequest request, String id, JsonNode caller) {
        synchronized (state) {
            TenantState.Application application = state.deletedApplications.get(id);
            if (application == null) {
                throw GraphError.notFound(id);
            }
            if ("GET".equals(request.method())) {
                ObjectNode json = applicationJson(application);
                json.put("@odata.type", "#microsoft.graph.application");
                json.put("deletedDateTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                return EmulatedResponse.json(200, json);
            }
            if (!"DELETE".equals(request.method())) {
                return methodNotAllowed();
            }
            requireWrite(WRITE_APPS_ANY_OWNER, application.ownerId, caller);
            state.deletedApplications.remove(id);
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse principal(String collection, String id) {
        synchronized (state) {
            TenantState.DirectoryPrincipal principal = state.principals.get(id);
            String wanted = "users".equals(collection) ? "User" : "Group";
            if (principal == null || !principal.type().equals(wanted)) {
                throw GraphError.notFound(id);
            }
            ObjectNode json = EmulatedResponse.JSON.createObjectNode();
            json.put("@odata.context", graphBaseUrl.get() + "/$metadata#" + collection + "/$entity");
            json.put("id", principal.id());
            json.put("displayName", principal.displayName());
            return EmulatedResponse.json(200, json);
        }
    }

    // ---- synchronization ----

    private EmulatedResponse createJob(EmulatedRequest request, Key key, JsonNode caller) {
        JsonNode body = readJsonObject(request);
        TenantState.SynchronizationJob job;
        synchronized (state) {
            TenantState.ServicePrincipal servicePrincipal = visibleServicePrincipal(key, true);
            requireWrite(WRITE_SYNC_ANY_OWNER, servicePrincipal.ownerId, caller);
            String templateId = body.path("templateId").asText("");
            if (!"scim".equals(templateId)) {
                throw GraphError.badRequest("The synchronization template '" + templateId
                        + "' was not found for this application. Use one of the templates the application offers: "
                        + "scim.");
            }
            String jobId = "scim." + ids.hex32() + "." + servicePrincipal.appId;
            job = new TenantState.SynchronizationJob(jobId, servicePrincipal.id, templateId,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    System.currentTimeMillis() + faults.drawReplicationDelay());
            if (hasCredentials(state.secrets.get(servicePrincipal.id))) {
                job.statusCode = "NotRun";
            }
            state.jobs.put(jobId, job);
        }
        ObjectNode json = jobJson(job);
        json.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals('" + job.servicePrincipalId
                + "')/synchronization/jobs/$entity");
        return EmulatedResponse.json(201, json);
    }

    private EmulatedResponse listJobs(Key key) {
        ArrayNode values = EmulatedResponse.JSON.createArrayNode();
        String servicePrincipalId;
        synchronized (state) {
            require(READ_SYNC);
            servicePrincipalId = visibleServicePrincipal(key, true).id;
            for (TenantState.SynchronizationJob job : state.jobs.values()) {
                if (job.servicePrincipalId.equals(servicePrincipalId) && visible(job.visibleAt)) {
                    values.add(jobJson(job));
                }
            }
        }
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals('" + servicePrincipalId
                + "')/synchronization/jobs");
        result.set("value", values);
        return EmulatedResponse.json(200, result);
    }

    private EmulatedResponse getJob(Key key, String jobId) {
        synchronized (state) {
            require(READ_SYNC);
            TenantState.SynchronizationJob job = visibleJob(key, jobId);
            ObjectNode json = jobJson(job);
            json.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals('" + job.servicePrincipalId
                    + "')/synchronization/jobs/$entity");
            return EmulatedResponse.json(200, json);
        }
    }

    private EmulatedResponse deleteJob(Key key, String jobId, JsonNode caller) {
        synchronized (state) {
            TenantState.SynchronizationJob job = visibleJob(key, jobId);
            requireWrite(WRITE_SYNC_ANY_OWNER, state.servicePrincipals.get(job.servicePrincipalId).ownerId, caller);
            state.jobs.remove(job.id);
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse startJob(Key key, String jobId, JsonNode caller) {
        synchronized (state) {
            TenantState.SynchronizationJob job = visibleJob(key, jobId);
            requireWrite(WRITE_SYNC_ANY_OWNER, state.servicePrincipals.get(job.servicePrincipalId).ownerId, caller);
            Map<String, String> secrets = state.secrets.get(job.servicePrincipalId);
            if (!hasCredentials(secrets)) {
                throw GraphError.badRequest("The job cannot be started because its credentials have not been "
                        + "configured. Save the BaseAddress and SecretToken synchronization secrets first.");
            }
            job.scheduleState = "Active";
            job.statusCode = "Active";
            job.quarantineReason = null;
            job.quarantineErrorCode = null;
            job.quarantineErrorMessage = null;
            job.quarantineBegan = null;
            job.lastStarted = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            // The first cycle meets the same SCIM endpoint that test connection meets; bad credentials quarantine.
            String failure = credentialFailure(secrets.get("BaseAddress"), secrets.get("SecretToken"), false);
            if (failure != null) {
                job.statusCode = "Quarantine";
                job.quarantineReason = "EncounteredQuarantineException";
                job.quarantineErrorCode = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable";
                job.quarantineErrorMessage = failure;
                job.quarantineBegan = job.lastStarted;
            }
            // The cycle the start begins, as its outcome would read once it ended.
            job.lastExecutionEnded = job.lastStarted;
            job.lastExecutionState = failure == null ? "Succeeded" : "Failed";
            job.lastExecutionErrorCode = failure == null ? null : job.quarantineErrorCode;
            job.lastExecutionErrorMessage = failure;
            job.lastExecutionEntitled = state.assignments.values().stream()
                    .filter(a -> a.resourceId().equals(job.servicePrincipalId)).count();
            if (failure != null) {
                job.lastExecutionEntitled = 0;
            }
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse pauseJob(Key key, String jobId, JsonNode caller) {
        synchronized (state) {
            TenantState.SynchronizationJob job = visibleJob(key, jobId);
            requireWrite(WRITE_SYNC_ANY_OWNER, state.servicePrincipals.get(job.servicePrincipalId).ownerId, caller);
            job.scheduleState = "Paused";
            job.statusCode = "Paused";
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse saveSecrets(EmulatedRequest request, Key key, JsonNode caller) {
        JsonNode body = readSecretBody(request);
        JsonNode values = body.get("value");
        if (values == null || !values.isArray()) {
            throw GraphError.badRequest("The request body must carry the secrets as a 'value' array of key/value "
                    + "pairs.");
        }
        Map<String, String> incoming = readKeyValuePairs(values);
        synchronized (state) {
            TenantState.ServicePrincipal servicePrincipal = visibleServicePrincipal(key, true);
            requireWrite(WRITE_SYNC_ANY_OWNER, servicePrincipal.ownerId, caller);
            Map<String, String> saved = state.secrets.computeIfAbsent(servicePrincipal.id, id -> new LinkedHashMap<>());
            saved.putAll(incoming);
            if (hasCredentials(saved)) {
                for (TenantState.SynchronizationJob job : state.jobs.values()) {
                    if (job.servicePrincipalId.equals(servicePrincipal.id) && "NotConfigured".equals(job.statusCode)) {
                        job.statusCode = "NotRun";
                    }
                }
            }
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse readSecrets(Key key) {
        ArrayNode values = EmulatedResponse.JSON.createArrayNode();
        String servicePrincipalId;
        synchronized (state) {
            require(READ_SYNC);
            servicePrincipalId = visibleServicePrincipal(key, true).id;
            Map<String, String> saved = state.secrets.getOrDefault(servicePrincipalId, Map.of());
            saved.forEach((name, value) -> {
                ObjectNode pair = values.addObject();
                pair.put("key", name);
                pair.put("value", SENSITIVE_SECRET_KEYS.contains(name) ? "*" : value);
            });
        }
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals('" + servicePrincipalId
                + "')/synchronization/secrets");
        result.set("value", values);
        return EmulatedResponse.json(200, result);
    }

    private EmulatedResponse validateCredentials(EmulatedRequest request, Key key, String jobId, JsonNode caller) {
        JsonNode body = readSecretBody(request);
        Map<String, String> provided = body.has("credentials") && body.get("credentials").isArray()
                ? readKeyValuePairs(body.get("credentials")) : Map.of();
        boolean useSaved = body.path("useSavedCredentials").asBoolean(false);
        synchronized (state) {
            TenantState.SynchronizationJob job = visibleJob(key, jobId);
            requireWrite(WRITE_SYNC_ANY_OWNER, state.servicePrincipals.get(job.servicePrincipalId).ownerId, caller);
            Map<String, String> credentials = new LinkedHashMap<>();
            if (useSaved || provided.isEmpty()) {
                credentials.putAll(state.secrets.getOrDefault(job.servicePrincipalId, Map.of()));
            }
            credentials.putAll(provided);
            if (!hasCredentials(credentials)) {
                throw GraphError.badRequest("Credentials are missing: provide BaseAddress and SecretToken, or save "
                        + "them first and validate with useSavedCredentials.");
            }
            String failure = credentialFailure(credentials.get("BaseAddress"), credentials.get("SecretToken"), true);
            if (failure != null) {
                throw GraphError.badRequest(failure);
            }
        }
        return EmulatedResponse.empty(204);
    }

    /**
     * Does what Entra does on test connection: query the SCIM endpoint for a user that does not exist, expecting 200
     * with an empty list. Answers null when that works, else the message Entra would give.
     */
    private String credentialFailure(String baseAddress, String secretToken, boolean record) {
        String probe = "userName eq \"" + UUID.randomUUID() + "\"";
        String url = baseAddress + "/Users?filter=" + probe;
        String accountId = cloudflare.scimAccountOf(baseAddress);
        if (accountId == null) {
            return "An error occurred while connecting to the SCIM endpoint '" + baseAddress + "'. Error code: "
                    + "SystemForCrossDomainIdentityManagementServiceIncompatible. Details: the endpoint could not be "
                    + "reached or did not answer as a SCIM 2.0 service. Check the tenant URL.";
        }
        int status = cloudflare.scimStatus(accountId, secretToken);
        if (record) {
            cloudflare.recordEntraScimCheck(accountId, probe, status);
        }
        if (status == 200) {
            return null;
        }
        return "You appear to have entered invalid credentials. Error code: "
                + "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable. Details: We received this "
                + "unexpected response from your application: An HTTP/1.1 401 Unauthorized response was returned "
                + "by the SCIM endpoint when invoking '" + url + "'. Check the secret token.";
    }

    // ---- app role assignments ----

    private EmulatedResponse assign(EmulatedRequest request, Key key) {
        JsonNode body = readJsonObject(request);
        TenantState.Assignment assignment;
        synchronized (state) {
            TenantState.ServicePrincipal servicePrincipal = visibleServicePrincipal(key, false);
            require(WRITE_ASSIGNMENTS);
            String principalId = guidProperty(body, "principalId");
            String resourceId = guidProperty(body, "resourceId");
            String appRoleId = guidProperty(body, "appRoleId");
            if (!resourceId.equalsIgnoreCase(servicePrincipal.id)) {
                throw GraphError.badRequest("The resourceId '" + resourceId + "' does not match the service "
                        + "principal '" + servicePrincipal.id + "' of the request URL.");
            }
            boolean roleExists = servicePrincipal.appRoles.stream().anyMatch(role -> role.id().equals(appRoleId));
            if (!roleExists) {
                throw GraphError.badRequest("Permission being assigned was not found on application '"
                        + servicePrincipal.appId + "'.");
            }
            TenantState.DirectoryPrincipal principal = state.principals.get(principalId);
            if (principal == null) {
                throw GraphError.notFound(principalId);
            }
            for (TenantState.Assignment existing : state.assignments.values()) {
                if (existing.resourceId().equals(servicePrincipal.id) && existing.principalId().equals(principalId)
                        && existing.appRoleId().equals(appRoleId)) {
                    int status = faults.duplicateAssignmentStatus();
                    throw new GraphError(status, status == 409 ? "Conflict" : "Request_BadRequest",
                            "Permission being assigned already exists on the object.");
                }
            }
            assignment = new TenantState.Assignment(ids.opaqueId(), servicePrincipal.id,
                    servicePrincipal.displayName, principalId, principal.type(), principal.displayName(), appRoleId,
                    Instant.now(), System.currentTimeMillis() + faults.drawReplicationDelay());
            state.assignments.put(assignment.id(), assignment);
        }
        ObjectNode json = assignmentJson(assignment);
        json.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals('" + assignment.resourceId()
                + "')/appRoleAssignedTo/$entity");
        return EmulatedResponse.json(201, json);
    }

    private EmulatedResponse unassign(Key key, String assignmentId) {
        synchronized (state) {
            TenantState.ServicePrincipal servicePrincipal = visibleServicePrincipal(key, false);
            require(WRITE_ASSIGNMENTS);
            TenantState.Assignment assignment = state.assignments.get(assignmentId);
            if (assignment == null || !assignment.resourceId().equals(servicePrincipal.id)) {
                throw GraphError.notFound(assignmentId);
            }
            state.assignments.remove(assignmentId);
        }
        return EmulatedResponse.empty(204);
    }

    private EmulatedResponse listAssignments(Key key) {
        ArrayNode values = EmulatedResponse.JSON.createArrayNode();
        String servicePrincipalId;
        synchronized (state) {
            servicePrincipalId = visibleServicePrincipal(key, false).id;
            require(READ_APPS);
            for (TenantState.Assignment assignment : state.assignments.values()) {
                if (assignment.resourceId().equals(servicePrincipalId) && visible(assignment.visibleAt())) {
                    values.add(assignmentJson(assignment));
                }
            }
        }
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("@odata.context", graphBaseUrl.get() + "/$metadata#servicePrincipals('" + servicePrincipalId
                + "')/appRoleAssignedTo");
        result.set("value", values);
        return EmulatedResponse.json(200, result);
    }

    // ---- lookups, visibility and permissions ----

    private TenantState.Application findApplication(Key key) {
        if (!key.byAppId()) {
            return state.applications.get(key.value());
        }
        for (TenantState.Application application : state.applications.values()) {
            if (application.appId.equalsIgnoreCase(key.value())) {
                return application;
            }
        }
        return null;
    }

    /** The service principal named by the key, if replicated; else 404, or 403 for synchronization if so set. */
    private TenantState.ServicePrincipal visibleServicePrincipal(Key key, boolean synchronization) {
        TenantState.ServicePrincipal found = null;
        if (!key.byAppId()) {
            found = state.servicePrincipals.get(key.value());
        } else {
            for (TenantState.ServicePrincipal candidate : state.servicePrincipals.values()) {
                if (candidate.appId.equalsIgnoreCase(key.value())) {
                    found = candidate;
                }
            }
        }
        if (found == null) {
            throw GraphError.notFound(key.value());
        }
        if (!visible(found.visibleAt)) {
            throw notReplicated(key.value(), synchronization);
        }
        return found;
    }

    private TenantState.SynchronizationJob visibleJob(Key key, String jobId) {
        TenantState.ServicePrincipal servicePrincipal = visibleServicePrincipal(key, true);
        TenantState.SynchronizationJob job = state.jobs.get(jobId);
        if (job == null || !job.servicePrincipalId.equals(servicePrincipal.id)) {
            throw GraphError.notFound(jobId);
        }
        if (!visible(job.visibleAt)) {
            throw notReplicated(jobId, true);
        }
        return job;
    }

    private GraphError notReplicated(String id, boolean synchronization) {
        if (synchronization
                && faults.synchronizationReplicationAnswer() == TenantFaults.ReplicationAnswer.FORBIDDEN) {
            faults.count(TenantFaults.REPLICATION_FORBIDDEN);
            return GraphError.denied();
        }
        faults.count(TenantFaults.REPLICATION_NOT_FOUND);
        return GraphError.notFound(id);
    }

    private void countReplication(TenantState.Application application) {
        if (application != null) {
            faults.count(TenantFaults.REPLICATION_NOT_FOUND);
        }
    }

    private static boolean visible(long visibleAt) {
        return System.currentTimeMillis() >= visibleAt;
    }

    private void require(Set<String> anyOf) {
        for (String permission : anyOf) {
            if (grantedPermissions.contains(permission)) {
                return;
            }
        }
        faults.count(TenantFaults.PERMISSION_DENIED);
        throw GraphError.denied();
    }

    /**
     * Checks a write: any of {@code anyOwner} allows it outright; Application.ReadWrite.OwnedBy allows it on objects
     * the caller owns and on new ones (ownerId null), because instantiate makes the caller an owner.
     */
    private void requireWrite(Set<String> anyOwner, String ownerId, JsonNode caller) {
        for (String permission : anyOwner) {
            if (grantedPermissions.contains(permission)) {
                return;
            }
        }
        if (grantedPermissions.contains(APPLICATION_READWRITE_OWNEDBY)
                && (ownerId == null || ownerId.equals(caller.path("oid").asText(null)))) {
            return;
        }
        faults.count(TenantFaults.PERMISSION_DENIED);
        throw GraphError.denied();
    }

    private static void requireMethod(EmulatedRequest request, String method) {
        if (!method.equals(request.method())) {
            throw GraphError.methodNotAllowed();
        }
    }

    private static EmulatedResponse methodNotAllowed() {
        throw GraphError.methodNotAllowed();
    }

    private static GraphError invalidUri(EmulatedRequest request) {
        List<String> segments = request.segments();
        String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
        return new GraphError(404, "Request_ResourceNotFound", "Invalid request URI: resource not found for the "
                + "segment '" + last + "'.");
    }

    private static boolean hasCredentials(Map<String, String> secrets) {
        return secrets != null && secrets.get("BaseAddress") != null && !secrets.get("BaseAddress").isBlank()
                && secrets.get("SecretToken") != null && !secrets.get("SecretToken").isBlank();
    }

    // ---- bodies ----

    private static JsonNode readJsonObject(EmulatedRequest request) {
        try {
            JsonNode node = request.body().length == 0 ? null : EmulatedResponse.JSON.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw GraphError.badRequest("The request body must be a JSON object.");
            }
            return node;
        } catch (IOException e) {
            throw GraphError.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is "
                    + "set and payload is of valid JSON format.");
        }
    }

    /** Reads a body that holds secrets, and replaces what the call log shows with the keys alone. */
    private static JsonNode readSecretBody(EmulatedRequest request) {
        request.redactLoggedBody("(not recorded: body holds credentials)");
        JsonNode body = readJsonObject(request);
        ObjectNode redacted = body.deepCopy();
        for (String field : List.of("value", "credentials")) {
            JsonNode pairs = redacted.get(field);
            if (pairs != null && pairs.isArray()) {
                for (JsonNode pair : pairs) {
                    if (pair.isObject() && pair.has("value")) {
                        ((ObjectNode) pair).put("value", "(redacted)");
                    }
                }
            }
        }
        request.redactLoggedBody(redacted.toString());
        return body;
    }

    private static Map<String, String> readKeyValuePairs(JsonNode pairs) {
        Map<String, String> result = new LinkedHashMap<>();
        for (JsonNode pair : pairs) {
            JsonNode keyNode = pair.get("key");
            if (keyNode == null || !keyNode.isTextual()) {
                throw GraphError.badRequest("Each secret must have a string 'key'.");
            }
            String name = keyNode.asText();
            if (!SECRET_KEYS.contains(name)) {
                throw GraphError.badRequest("The synchronization secret key '" + name + "' is not valid. Keys are "
                        + "case sensitive; valid keys include BaseAddress, SecretToken, SyncAll and "
                        + "SyncNotificationSettings.");
            }
            JsonNode valueNode = pair.get("value");
            result.put(name, valueNode == null || valueNode.isNull() ? null : valueNode.asText());
        }
        return result;
    }

    private static String guidProperty(JsonNode body, String name) {
        String value = body.path(name).asText("");
        try {
            return UUID.fromString(value).toString();
        } catch (IllegalArgumentException e) {
            throw GraphError.badRequest("Invalid value specified for property '" + name + "' of resource "
                    + "'AppRoleAssignment'.");
        }
    }

    // ---- lists ----

    private EmulatedResponse list(EmulatedRequest request, String collection, String resourceName,
            List<ObjectNode> items, Set<String> filterable) {
        Map<String, String> query = request.query();
        List<ObjectNode> matching = items;
        String filter = query.get("$filter");
        if (filter != null && !filter.isBlank()) {
            Predicate<Map<String, String>> predicate;
            try {
                predicate = ODataFilter.parse(filter, filterable);
            } catch (ODataFilter.UnsupportedFilterException e) {
                throw e.unknownProperty
                        ? new GraphError(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause "
                                + "specified for property '" + e.getMessage() + "' of resource '" + resourceName + "'.")
                        : new GraphError(400, "BadRequest", e.getMessage());
            }
            matching = new ArrayList<>();
            for (ObjectNode item : items) {
                if (predicate.test(filterProperties(item, filterable))) {
                    matching.add(item);
                }
            }
        }

        int pageSize = DEFAULT_PAGE_SIZE;
        if (query.containsKey("$top")) {
            try {
                pageSize = Integer.parseInt(query.get("$top"));
            } catch (NumberFormatException e) {
                pageSize = -1;
            }
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new GraphError(400, "Request_BadRequest", "Invalid page size specified: '"
                        + query.get("$top") + "'. Must be between 1 and " + MAX_PAGE_SIZE + " inclusive.");
            }
        }
        int offset = 0;
        String skipToken = query.get("$skiptoken");
        if (skipToken != null) {
            try {
                offset = Integer.parseInt(skipToken.replace("offset-", ""));
            } catch (NumberFormatException e) {
                throw new GraphError(400, "Request_BadRequest", "The skip token is not valid.");
            }
        }

        String select = query.get("$select");
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("@odata.context", graphBaseUrl.get() + "/$metadata#" + collection
                + (select == null || select.isBlank() ? "" : "(" + select.replace(" ", "") + ")"));
        if ("true".equalsIgnoreCase(query.get("$count"))) {
            result.put("@odata.count", matching.size());
        }
        int end = Math.min(matching.size(), offset + pageSize);
        if (end < matching.size()) {
            result.put("@odata.nextLink", nextLink(request, end));
        }
        ArrayNode values = result.putArray("value");
        for (int i = offset; i < end; i++) {
            values.add(selected(request, matching.get(i)));
        }
        return EmulatedResponse.json(200, result);
    }

    private String nextLink(EmulatedRequest request, int offset) {
        StringBuilder link = new StringBuilder(graphBaseUrl.get());
        List<String> segments = request.segments();
        for (String segment : segments.subList(1, segments.size())) {
            link.append('/').append(segment);
        }
        String separator = "?";
        for (Map.Entry<String, String> parameter : request.query().entrySet()) {
            if (!"$skiptoken".equals(parameter.getKey())) {
                link.append(separator).append(encode(parameter.getKey())).append('=')
                        .append(encode(parameter.getValue()));
                separator = "&";
            }
        }
        return link.append(separator).append("$skiptoken=offset-").append(offset).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%24", "$");
    }

    private static Map<String, String> filterProperties(ObjectNode item, Set<String> filterable) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            String lower = field.getKey().toLowerCase(Locale.ROOT);
            if (filterable.contains(lower)) {
                properties.put(lower, field.getValue().isNull() ? null : field.getValue().asText());
            }
        }
        return properties;
    }

    /** Applies $select: only the named properties and id, plus the OData annotations. */
    private static ObjectNode selected(EmulatedRequest request, ObjectNode item) {
        String select = request.query().get("$select");
        if (select == null || select.isBlank()) {
            return item;
        }
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add("id");
        for (String name : select.split(",")) {
            wanted.add(name.trim().toLowerCase(Locale.ROOT));
        }
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            if (field.getKey().startsWith("@odata") || wanted.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                result.set(field.getKey(), field.getValue());
            }
        }
        return result;
    }

    // ---- JSON shapes ----

    private ObjectNode applicationJson(TenantState.Application application) {
        ObjectNode json = EmulatedResponse.JSON.createObjectNode();
        json.put("id", application.id);
        json.putNull("deletedDateTime");
        json.put("appId", application.appId);
        json.put("applicationTemplateId", application.templateId);
        json.put("createdDateTime", application.created.toString());
        json.put("displayName", application.displayName);
        json.putNull("description");
        json.putNull("groupMembershipClaims");
        json.putArray("identifierUris");
        json.put("isFallbackPublicClient", false);
        json.put("publisherDomain", "contoso.onmicrosoft.com");
        json.put("serviceManagementReference", application.serviceManagementReference);
        json.put("signInAudience", "AzureADMyOrg");
        json.putArray("tags");
        json.putNull("tokenEncryptionKeyId");
        json.putNull("defaultRedirectUri");
        json.putNull("optionalClaims");
        json.putArray("addIns");
        ObjectNode api = json.putObject("api");
        api.putNull("acceptMappedClaims");
        api.putArray("knownClientApplications");
        api.putNull("requestedAccessTokenVersion");
        api.set("oauth2PermissionScopes", permissionScopes(application.displayName));
        api.putArray("preAuthorizedApplications");
        json.set("appRoles", appRolesJson(application.appRoles));
        json.set("info", infoJson());
        json.putArray("keyCredentials");
        json.putArray("passwordCredentials");
        json.putObject("publicClient").putArray("redirectUris");
        json.putArray("requiredResourceAccess");
        ObjectNode web = json.putObject("web");
        web.putNull("homePageUrl");
        web.putNull("logoutUrl");
        web.putArray("redirectUris");
        return json;
    }

    private ObjectNode servicePrincipalJson(TenantState.ServicePrincipal servicePrincipal) {
        ObjectNode json = EmulatedResponse.JSON.createObjectNode();
        json.put("id", servicePrincipal.id);
        json.putNull("deletedDateTime");
        json.put("accountEnabled", true);
        json.putArray("alternativeNames");
        json.put("appDisplayName", servicePrincipal.displayName);
        json.put("appId", servicePrincipal.appId);
        json.put("applicationTemplateId", servicePrincipal.templateId);
        json.put("appOwnerOrganizationId", tenantId);
        json.put("appRoleAssignmentRequired", true);
        json.put("createdDateTime", servicePrincipal.created.toString());
        json.putNull("description");
        json.put("displayName", servicePrincipal.displayName);
        json.putNull("homepage");
        json.putNull("loginUrl");
        json.putNull("logoutUrl");
        json.putArray("notificationEmailAddresses");
        json.putNull("preferredSingleSignOnMode");
        json.putNull("preferredTokenSigningKeyThumbprint");
        json.putArray("replyUrls");
        json.putArray("servicePrincipalNames").add(servicePrincipal.appId);
        json.put("servicePrincipalType", "Application");
        json.put("signInAudience", "AzureADMyOrg");
        ArrayNode tags = json.putArray("tags");
        servicePrincipal.tags.forEach(tags::add);
        json.putNull("tokenEncryptionKeyId");
        json.putNull("samlSingleSignOnSettings");
        json.putArray("addIns");
        json.set("appRoles", appRolesJson(servicePrincipal.appRoles));
        json.set("info", infoJson());
        json.putArray("keyCredentials");
        json.set("oauth2PermissionScopes", permissionScopes(servicePrincipal.displayName));
        json.putArray("passwordCredentials");
        return json;
    }

    private static ArrayNode appRolesJson(List<TenantState.AppRole> roles) {
        ArrayNode array = EmulatedResponse.JSON.createArrayNode();
        for (TenantState.AppRole role : roles) {
            ObjectNode json = array.addObject();
            json.putArray("allowedMemberTypes").add("User");
            json.put("description", role.description());
            json.put("displayName", role.displayName());
            json.put("id", role.id());
            json.put("isEnabled", true);
            json.put("origin", "Application");
            json.putNull("value");
        }
        return array;
    }

    private ArrayNode permissionScopes(String displayName) {
        ArrayNode array = EmulatedResponse.JSON.createArrayNode();
        ObjectNode scope = array.addObject();
        scope.put("adminConsentDescription", "Allow the application to access " + displayName
                + " on behalf of the signed-in user.");
        scope.put("adminConsentDisplayName", "Access " + displayName);
        scope.put("id", UUID.nameUUIDFromBytes(("scope:" + displayName).getBytes(StandardCharsets.UTF_8)).toString());
        scope.put("isEnabled", true);
        scope.put("type", "User");
        scope.put("userConsentDescription", "Allow the application to access " + displayName + " on your behalf.");
        scope.put("userConsentDisplayName", "Access " + displayName);
        scope.put("value", "user_impersonation");
        return array;
    }

    private static ObjectNode infoJson() {
        ObjectNode info = EmulatedResponse.JSON.createObjectNode();
        info.putNull("logoUrl");
        info.putNull("marketingUrl");
        info.putNull("privacyStatementUrl");
        info.putNull("supportUrl");
        info.putNull("termsOfServiceUrl");
        return info;
    }

    private static ObjectNode jobJson(TenantState.SynchronizationJob job) {
        ObjectNode json = EmulatedResponse.JSON.createObjectNode();
        json.put("id", job.id);
        json.put("templateId", job.templateId);
        ObjectNode schedule = json.putObject("schedule");
        schedule.putNull("expiration");
        schedule.put("interval", "PT40M");
        schedule.put("state", job.scheduleState);
        ObjectNode status = json.putObject("status");
        status.put("code", job.statusCode);
        status.put("countSuccessiveCompleteFailures", "Quarantine".equals(job.statusCode) ? 1 : 0);
        status.put("escrowsPruned", false);
        if (job.lastExecutionState == null) {
            status.putNull("lastExecution");
        } else {
            ObjectNode last = status.putObject("lastExecution");
            last.put("activityIdentifier", job.id + "." + job.lastExecutionEnded.getEpochSecond());
            last.put("countEntitled", job.lastExecutionEntitled);
            last.put("countEntitledForProvisioning", job.lastExecutionEntitled);
            last.put("countEscrowed", 0);
            last.put("countEscrowedRaw", 0);
            last.put("countExported", job.lastExecutionEntitled);
            last.put("countExports", job.lastExecutionEntitled);
            last.put("countImported", job.lastExecutionEntitled);
            last.put("countImportedDeltas", 0);
            last.put("countImportedReferenceDeltas", 0);
            if (job.lastExecutionErrorCode == null) {
                last.putNull("error");
            } else {
                last.putObject("error").put("code", job.lastExecutionErrorCode)
                        .put("message", job.lastExecutionErrorMessage).put("tenantActionable", true);
            }
            last.put("state", job.lastExecutionState);
            last.put("timeBegan", job.lastExecutionEnded.toString());
            last.put("timeEnded", job.lastExecutionEnded.toString());
        }
        status.putNull("lastSuccessfulExecution");
        status.putNull("lastSuccessfulExecutionWithExports");
        status.putArray("progress");
        if (job.quarantineReason == null) {
            status.putNull("quarantine");
        } else {
            ObjectNode quarantine = status.putObject("quarantine");
            quarantine.put("currentBegan", job.quarantineBegan.toString());
            quarantine.put("nextAttempt", job.quarantineBegan.plusSeconds(3600).toString());
            quarantine.put("reason", job.quarantineReason);
            quarantine.put("seriesBegan", job.quarantineBegan.toString());
            quarantine.put("seriesCount", 1);
            ObjectNode error = quarantine.putObject("error");
            error.put("code", job.quarantineErrorCode);
            error.put("message", job.quarantineErrorMessage);
            error.put("tenantActionable", true);
        }
        status.put("steadyStateFirstAchievedTime", "0001-01-01T00:00:00Z");
        status.put("steadyStateLastAchievedTime", "0001-01-01T00:00:00Z");
        status.putArray("synchronizedEntryCountByType");
        status.putNull("troubleshootingUrl");
        ArrayNode settings = json.putArray("synchronizationJobSettings");
        ObjectNode threshold = settings.addObject();
        threshold.put("name", "QuarantineTooManyDeletesThreshold");
        threshold.put("value", "500");
        return json;
    }

    private static ObjectNode assignmentJson(TenantState.Assignment assignment) {
        ObjectNode json = EmulatedResponse.JSON.createObjectNode();
        json.put("id", assignment.id());
        json.putNull("deletedDateTime");
        json.put("appRoleId", assignment.appRoleId());
        json.put("createdDateTime", assignment.created().toString());
        json.put("principalDisplayName", assignment.principalDisplayName());
        json.put("principalId", assignment.principalId());
        json.put("principalType", assignment.principalType());
        json.put("resourceDisplayName", assignment.resourceDisplayName());
        json.put("resourceId", assignment.resourceId());
        return json;
    }

    private static EmulatedResponse errorResponse(EmulatedRequest request, GraphError error) {
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = request.header("client-request-id") != null
                ? request.header("client-request-id") : requestId;
        ObjectNode body = EmulatedResponse.JSON.createObjectNode();
        ObjectNode inner = body.putObject("error");
        inner.put("code", error.code);
        inner.put("message", error.getMessage());
        ObjectNode innerError = inner.putObject("innerError");
        innerError.put("date", ERROR_DATE.format(Instant.now()));
        innerError.put("request-id", requestId);
        innerError.put("client-request-id", clientRequestId);
        EmulatedResponse response = EmulatedResponse.json(error.status, body)
                .header("request-id", requestId)
                .header("client-request-id", clientRequestId);
        error.headers.forEach(response::header);
        return response;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
