package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON control API under /_emulator: the same configuration, faults and inspection as the Java API of
 * {@link EmulatedTenant}, for processes that run the tenant standalone. Documented in README.md beside this class.
 */
final class ControlApi {

    private final EmulatedTenant tenant;

    ControlApi(EmulatedTenant tenant) {
        this.tenant = tenant;
    }

    /** Answers one request whose path starts with /_emulator. */
    EmulatedResponse handle(EmulatedRequest request) {
        List<String> path = request.segments().subList(1, request.segments().size());
        String route = request.method() + " /" + String.join("/", path);
        try {
            JsonNode body = body(request);
            switch (route) {
                case "GET /health":
                    return ok(object().put("status", "ok").put("port", tenant.port()));
                case "GET /endpoints":
                    return ok(endpoints());
                case "POST /reset":
                    tenant.reset();
                    return noContent();
                case "POST /seed":
                    tenant.seed();
                    return noContent();
                case "POST /directory/users":
                    return created(object().put("id", tenant.addUser(optionalText(body, "id"),
                            requiredText(body, "displayName"))));
                case "POST /directory/groups":
                    return created(object().put("id", tenant.addGroup(optionalText(body, "id"),
                            requiredText(body, "displayName"))));
                case "POST /cloudflare/accounts":
                    return created(object().put("id", tenant.addCloudflareAccount(optionalText(body, "id"),
                            requiredText(body, "name"))));
                case "PUT /cloudflare/api-token":
                    tenant.cloudflareApiToken(requiredText(body, "token"));
                    return noContent();
                case "POST /cloudflare/scim-tokens":
                    return created(object().put("value", tenant.createScimTokenByHand(
                            requiredText(body, "accountId"), requiredText(body, "name"))));
                case "POST /keyvault/secrets": {
                    String name = requiredText(body, "name");
                    return created(object().put("version", tenant.setKeyVaultSecret(name,
                            requiredText(body, "value"))).put("id", tenant.keyVaultSecretId(name)));
                }
                case "PUT /keyvault/access":
                    tenant.keyVaultAccess(body.path("granted").asBoolean(true));
                    return noContent();
                case "GET /permissions":
                    return ok(permissions());
                case "PUT /permissions":
                    tenant.grantedPermissions(texts(body.get("granted")));
                    return ok(permissions());
                case "POST /permissions/grant":
                    tenant.grantPermission(requiredText(body, "permission"));
                    return ok(permissions());
                case "POST /permissions/revoke":
                    tenant.revokePermission(requiredText(body, "permission"));
                    return ok(permissions());
                case "PUT /identity/token-lifetime":
                    tenant.tokenLifetime(Duration.ofSeconds(body.path("seconds").asLong(3600)));
                    return noContent();
                case "GET /faults":
                    return ok(EmulatedResponse.JSON.valueToTree(tenant.faults().describe()));
                case "PUT /faults":
                    configureFaults(body);
                    return ok(EmulatedResponse.JSON.valueToTree(tenant.faults().describe()));
                case "DELETE /faults":
                    tenant.faults().clear();
                    return noContent();
                case "POST /faults/throttle-next":
                    tenant.faults().throttleNext(body.path("count").asInt(1), optionalText(body, "method"),
                            optionalText(body, "pathPattern"), body.path("retryAfterSeconds").asDouble(2.128));
                    return noContent();
                case "POST /faults/fail-next":
                    tenant.faults().failNext(body.path("count").asInt(1), optionalText(body, "method"),
                            optionalText(body, "pathPattern"), body.path("status").asInt(503));
                    return noContent();
                case "POST /faults/quarantine":
                    tenant.quarantineJob(requiredText(body, "jobId"),
                            body.path("errorCode").asText("SystemForCrossDomainIdentityManagementBadResponse"),
                            body.path("message").asText("The SCIM endpoint answered with an unexpected error."));
                    return noContent();
                case "GET /callbacks":
                    return ok(callbacks(request));
                case "DELETE /callbacks":
                    tenant.clearCallbacks();
                    return noContent();
                case "POST /callbacks/fail-next":
                    tenant.failNextCallbacks(optionalText(body, "path"), body.path("count").asInt(1),
                            body.path("status").asInt(503), body.hasNonNull("retryAfterSeconds")
                                    ? body.get("retryAfterSeconds").asInt() : null);
                    return noContent();
                case "GET /stats":
                    return ok(stats());
                case "GET /calls":
                    return ok(calls(request));
                case "DELETE /calls":
                    tenant.clearCalls();
                    return noContent();
                case "GET /state":
                    return ok(tenant.stateJson());
                case "GET /applications":
                    return ok(applications(request));
                case "GET /minted-token-values":
                    ObjectNode values = object();
                    ArrayNode array = values.putArray("values");
                    tenant.mintedTokenValues().forEach(array::add);
                    return ok(values);
                default:
                    return error(404, "no control route " + route + "; see README.md of the emulated tenant");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return error(400, e.getMessage());
        }
    }

    private void configureFaults(JsonNode body) {
        TenantFaults faults = tenant.faults();
        if (body.has("replicationDelayMs")) {
            JsonNode range = body.get("replicationDelayMs");
            faults.replicationDelay(Duration.ofMillis(range.path("min").asLong()),
                    Duration.ofMillis(range.path("max").asLong(range.path("min").asLong())));
        }
        if (body.has("synchronizationReplicationAnswer")) {
            faults.synchronizationReplicationAnswer(TenantFaults.ReplicationAnswer.valueOf(
                    body.get("synchronizationReplicationAnswer").asText().toUpperCase(Locale.ROOT)));
        }
        if (body.has("instantiateNotFound")) {
            JsonNode spec = body.get("instantiateNotFound");
            faults.instantiateNotFoundNext(spec.path("next").asInt(0));
            faults.instantiateNotFoundRate(spec.path("rate").asDouble(0));
        }
        if (body.has("writeLimit")) {
            faults.writeLimit(body.get("writeLimit").path("perSecond").asInt(0));
        }
        if (body.has("transient")) {
            JsonNode spec = body.get("transient");
            List<Integer> statuses = new ArrayList<>();
            spec.path("statuses").forEach(status -> statuses.add(status.asInt()));
            faults.transientErrorRate(spec.path("rate").asDouble(0),
                    statuses.stream().mapToInt(Integer::intValue).toArray());
        }
        if (body.has("latencyMs")) {
            JsonNode range = body.get("latencyMs");
            faults.latency(Duration.ofMillis(range.path("min").asLong()),
                    Duration.ofMillis(range.path("max").asLong(range.path("min").asLong())));
        }
        if (body.has("cloudflareRateLimit")) {
            JsonNode spec = body.get("cloudflareRateLimit");
            faults.cloudflareRateLimit(spec.path("requests").asInt(0),
                    Duration.ofMillis((long) (spec.path("windowSeconds").asDouble(300) * 1000)));
        }
        if (body.has("duplicateAssignmentStatus")) {
            faults.duplicateAssignmentStatus(body.get("duplicateAssignmentStatus").asInt());
        }
        if (body.has("rejectScimTokens")) {
            JsonNode spec = body.get("rejectScimTokens");
            if (spec.has("all")) {
                faults.rejectAllScimTokens(spec.get("all").asBoolean());
            }
            spec.path("accounts").forEach(account -> faults.rejectScimTokens(account.asText()));
            spec.path("acceptAccounts").forEach(account -> faults.acceptScimTokens(account.asText()));
        }
    }

    private ObjectNode endpoints() {
        ObjectNode json = object();
        json.put("graphBaseUrl", tenant.graphBaseUrl());
        json.put("cloudflareApiBaseUrl", tenant.cloudflareBaseUrl());
        json.put("identityEndpoint", tenant.identityEndpoint());
        json.put("keyVaultUrl", tenant.keyVaultUrl());
        json.put("callbackUrl", tenant.callbackUrl("/"));
        json.put("tenantId", tenant.tenantId());
        json.put("identityClientId", tenant.identityClientId());
        json.put("identityObjectId", tenant.identityObjectId());
        json.put("scimPermissionGroupId", CloudflareApi.SCIM_PERMISSION_GROUP_ID);
        json.put("scimPermissionGroupName", CloudflareApi.SCIM_PERMISSION_GROUP_NAME);
        return json;
    }

    private ObjectNode permissions() {
        ObjectNode json = object();
        json.set("granted", EmulatedResponse.JSON.valueToTree(tenant.grantedPermissions()));
        return json;
    }

    private ObjectNode stats() {
        ObjectNode json = object();
        json.set("faults", EmulatedResponse.JSON.valueToTree(tenant.faultStatistics()));
        ObjectNode byService = json.putObject("callsByService");
        tenant.callCounts().byService().forEach(byService::put);
        return json;
    }

    private ObjectNode calls(EmulatedRequest request) {
        List<RecordedCall> selected = tenant.calls(request.query().get("method"), request.query().get("path"));
        String service = request.query().get("service");
        ObjectNode json = object();
        ArrayNode array = json.putArray("calls");
        for (RecordedCall call : selected) {
            if (service == null || service.equals(call.service())) {
                ObjectNode entry = array.addObject();
                entry.put("time", call.time().toString());
                entry.put("service", call.service());
                entry.put("method", call.method());
                entry.put("pathAndQuery", call.pathAndQuery());
                entry.put("status", call.status());
                entry.put("requestBody", call.requestBody());
            }
        }
        return json;
    }

    private ObjectNode callbacks(EmulatedRequest request) {
        String path = request.query().get("path");
        ObjectNode json = object();
        ArrayNode array = json.putArray("deliveries");
        for (ReceivedCallback delivery : path == null ? tenant.callbackDeliveries()
                : tenant.callbackDeliveries(path)) {
            ObjectNode entry = array.addObject();
            entry.put("at", delivery.at().toString());
            entry.put("method", delivery.method());
            entry.put("path", delivery.path());
            entry.set("headers", EmulatedResponse.JSON.valueToTree(delivery.headers()));
            entry.put("body", delivery.body());
            entry.put("answered", delivery.answered());
            entry.put("signatureValid", delivery.signatureValid());
        }
        return json;
    }

    private ObjectNode applications(EmulatedRequest request) {
        String displayName = request.query().get("displayName");
        List<ApplicationSnapshot> selected = displayName == null ? tenant.applications()
                : tenant.applicationsByDisplayName(displayName);
        ObjectNode json = object();
        json.set("applications", EmulatedResponse.JSON.valueToTree(selected));
        return json;
    }

    private static JsonNode body(EmulatedRequest request) {
        if (request.body().length == 0) {
            return EmulatedResponse.JSON.createObjectNode();
        }
        try {
            JsonNode node = EmulatedResponse.JSON.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
    }

    private static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value;
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> texts(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("'granted' must be an array of permission names");
        }
        List<String> result = new ArrayList<>();
        array.forEach(item -> result.add(item.asText()));
        return result;
    }

    private static ObjectNode object() {
        return EmulatedResponse.JSON.createObjectNode();
    }

    private static EmulatedResponse ok(JsonNode body) {
        return EmulatedResponse.json(200, body);
    }

    private static EmulatedResponse created(JsonNode body) {
        return EmulatedResponse.json(201, body);
    }

    private static EmulatedResponse noContent() {
        return EmulatedResponse.empty(204);
    }

    private static EmulatedResponse error(int status, String message) {
        return EmulatedResponse.json(status, object().put("error", message));
    }
}
