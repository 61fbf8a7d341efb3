package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cloudflare's API v4 as far as onboarding uses it: accounts, account-owned API tokens and their permission groups,
 * and the per-account SCIM endpoint that Entra queries on test connection. One API token (the tenant's configured
 * one) may do everything; minted tokens authenticate only where their policies say.
 */
final class CloudflareApi {

    /** The permission group that a SCIM provisioning token needs, with its emulated id. */
    static final String SCIM_PERMISSION_GROUP_NAME = "SCIM Provisioning";
    static final String SCIM_PERMISSION_GROUP_ID = "c2b4e1a07d9f4e3b8a6c5d4e3f2a1b0c";

    private static final Map<String, String> PERMISSION_GROUPS = permissionGroups();
    private static final int DEFAULT_PER_PAGE = 20;
    private static final int MAX_PER_PAGE = 50;

    /** A Cloudflare failure raised from deep in a handler; the front turns it into the envelope. */
    private static final class CloudflareError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final int code;
        final ArrayNode chain;

        CloudflareError(int status, int code, String message) {
            this(status, code, message, null);
        }

        CloudflareError(int status, int code, String message, ArrayNode chain) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.chain = chain;
        }
    }

    /** Who a bearer token is: the configured API token, or a token minted for one account. */
    private record Caller(boolean apiToken, TenantState.CloudflareToken minted) {
    }

    private final TenantState state;
    private final TenantFaults faults;
    private final IdentifierSource ids;
    private final Supplier<String> apiToken;
    private final Supplier<String> cloudflareBaseUrl;
    private final Consumer<RecordedCall> entraCheckRecorder;

    CloudflareApi(TenantState state, TenantFaults faults, IdentifierSource ids, Supplier<String> apiToken,
            Supplier<String> cloudflareBaseUrl, Consumer<RecordedCall> entraCheckRecorder) {
        this.state = state;
        this.faults = faults;
        this.ids = ids;
        this.apiToken = apiToken;
        this.cloudflareBaseUrl = cloudflareBaseUrl;
        this.entraCheckRecorder = entraCheckRecorder;
    }

    /** Answers one request whose path starts with /client/v4. */
    EmulatedResponse handle(EmulatedRequest request) {
        try {
            Double retryAfter = faults.admitCloudflareCall(System.currentTimeMillis());
            if (retryAfter != null) {
                faults.count(TenantFaults.CLOUDFLARE_RATE_LIMIT);
                return envelopeError(new CloudflareError(429, 971,
                        "Please wait and consider throttling your request speed"))
                        .header("Retry-After", TenantFaults.formatSeconds(retryAfter));
            }
            TenantFaults.PathRule throttle = faults.takeThrottle(request.method(), request.rawPath());
            if (throttle != null) {
                faults.count(TenantFaults.THROTTLE_NEXT);
                return envelopeError(new CloudflareError(429, 971,
                        "Please wait and consider throttling your request speed"))
                        .header("Retry-After", TenantFaults.formatSeconds(Math.ceil(throttle.retryAfterSeconds)));
            }
            TenantFaults.PathRule failure = faults.takeFailure(request.method(), request.rawPath());
            if (failure != null) {
                faults.count(TenantFaults.FAIL_NEXT);
                throw new CloudflareError(failure.status, 10001, "Service temporarily unavailable");
            }
            List<String> path = request.segments().subList(2, request.segments().size());
            if (path.size() >= 4 && "accounts".equals(path.get(0)) && "scim".equals(path.get(2))
                    && "v2".equals(path.get(3))) {
                return scim(request, path);
            }
            return route(request, path);
        } catch (CloudflareError error) {
            return envelopeError(error);
        }
    }

    private EmulatedResponse route(EmulatedRequest request, List<String> path) {
        if (path.size() == 3 && "user".equals(path.get(0)) && "tokens".equals(path.get(1))
                && "verify".equals(path.get(2))) {
            requireMethod(request, "GET");
            return verify(authenticate(request));
        }
        if (path.isEmpty() || !"accounts".equals(path.get(0))) {
            throw noRoute();
        }
        Caller caller = authenticate(request);
        if (path.size() == 1) {
            requireMethod(request, "GET");
            if (!caller.apiToken()) {
                throw new CloudflareError(400, 1001, "List accounts endpoint does not support account owned tokens.");
            }
            return listAccounts(request);
        }
        String accountId = path.get(1);
        if (!accountId.matches("[0-9a-f]{32}")) {
            throw new CloudflareError(404, 7003, "Could not route to " + request.rawPath()
                    + ", perhaps your object identifier is invalid?");
        }
        if (path.size() == 3 && "tokens".equals(path.get(2))) {
            TenantState.CloudflareAccount account = authorizedAccount(caller, accountId);
            if ("POST".equals(request.method())) {
                return mintToken(request, account);
            }
            requireMethod(request, "GET");
            return listTokens(request, account);
        }
        if (path.size() == 4 && "tokens".equals(path.get(2))) {
            TenantState.CloudflareAccount account = authorizedAccount(caller, accountId);
            String tokenId = path.get(3);
            if ("permission_groups".equals(tokenId)) {
                requireMethod(request, "GET");
                return permissionGroupList(request);
            }
            if ("verify".equals(tokenId)) {
                requireMethod(request, "GET");
                return verify(caller);
            }
            if ("DELETE".equals(request.method())) {
                return deleteToken(request, account, tokenId);
            }
            requireMethod(request, "GET");
            return getToken(request, account, tokenId);
        }
        if (path.size() == 2) {
            requireMethod(request, "GET");
            return success(accountJson(authorizedAccount(caller, accountId)));
        }
        throw noRoute();
    }

    // ---- authentication ----

    private Caller authenticate(EmulatedRequest request) {
        String header = request.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new CloudflareError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
        }
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (token == null || !token.matches("[A-Za-z0-9_-]{1,200}")) {
            ArrayNode chain = EmulatedResponse.JSON.createArrayNode();
            ObjectNode link = chain.addObject();
            link.put("code", 6111);
            link.put("message", "Invalid format for Authorization header");
            throw new CloudflareError(400, 6003, "Invalid request headers", chain);
        }
        String configured = apiToken.get();
        if (configured != null && configured.equals(token)) {
            return new Caller(true, null);
        }
        synchronized (state) {
            for (TenantState.CloudflareToken minted : state.tokens.values()) {
                if (minted.value.equals(token) && minted.isLive(Instant.now())) {
                    return new Caller(false, minted);
                }
            }
        }
        throw new CloudflareError(403, 9109, "Invalid access token");
    }

    /** The account, if it exists and the caller may manage its tokens; else the answer Cloudflare gives. */
    private TenantState.CloudflareAccount authorizedAccount(Caller caller, String accountId) {
        synchronized (state) {
            TenantState.CloudflareAccount account = state.accounts.get(accountId);
            if (!caller.apiToken()) {
                // A minted SCIM token has no permission on the account API.
                throw new CloudflareError(403, 10000, "Authentication error");
            }
            if (account == null) {
                throw new CloudflareError(403, 9109, "Unauthorized to access requested resource");
            }
            return account;
        }
    }

    private EmulatedResponse verify(Caller caller) {
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("id", caller.apiToken() ? "a1b2c3d4e5f60718293a4b5c6d7e8f90" : caller.minted().id);
        result.put("status", "active");
        ObjectNode body = envelope(true);
        body.set("result", result);
        ObjectNode message = ((ArrayNode) body.get("messages")).addObject();
        message.put("code", 10000);
        message.put("message", "This API Token is valid and active");
        message.putNull("type");
        return EmulatedResponse.json(200, body);
    }

    // ---- accounts ----

    private EmulatedResponse listAccounts(EmulatedRequest request) {
        List<JsonNode> accounts = new ArrayList<>();
        synchronized (state) {
            for (TenantState.CloudflareAccount account : state.accounts.values()) {
                accounts.add(accountJson(account));
            }
        }
        return page(request, accounts);
    }

    private static ObjectNode accountJson(TenantState.CloudflareAccount account) {
        ObjectNode json = EmulatedResponse.JSON.createObjectNode();
        json.put("id", account.id());
        json.put("name", account.name());
        json.put("type", "enterprise");
        ObjectNode settings = json.putObject("settings");
        settings.put("enforce_twofactor", false);
        settings.put("api_access_enabled", (String) null);
        settings.put("abuse_contact_email", (String) null);
        json.put("created_on", account.created().toString());
        return json;
    }

    // ---- tokens ----

    private EmulatedResponse permissionGroupList(EmulatedRequest request) {
        List<JsonNode> groups = new ArrayList<>();
        PERMISSION_GROUPS.forEach((id, name) -> {
            ObjectNode group = EmulatedResponse.JSON.createObjectNode();
            group.put("id", id);
            group.put("name", name);
            group.putArray("scopes").add("com.cloudflare.api.account");
            groups.add(group);
        });
        return page(request, groups);
    }

    private EmulatedResponse mintToken(EmulatedRequest request, TenantState.CloudflareAccount account) {
        JsonNode body;
        try {
            body = request.body().length == 0 ? null : EmulatedResponse.JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new CloudflareError(400, 6007, "Malformed JSON in request body");
        }
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            throw invalid("name is required and must not be empty");
        }
        JsonNode policies = body.get("policies");
        if (policies == null || !policies.isArray() || policies.isEmpty()) {
            throw invalid("policies must contain at least one policy");
        }
        ArrayNode normalized = EmulatedResponse.JSON.createArrayNode();
        boolean scim = false;
        for (JsonNode policy : policies) {
            String effect = policy.path("effect").asText("");
            if (!"allow".equals(effect) && !"deny".equals(effect)) {
                throw invalid("policy effect must be 'allow' or 'deny'");
            }
            JsonNode resources = policy.get("resources");
            if (resources == null || !resources.isObject() || resources.isEmpty()) {
                throw invalid("policy resources must name at least one resource");
            }
            String ownResource = "com.cloudflare.api.account." + account.id();
            Iterator<String> resourceNames = resources.fieldNames();
            while (resourceNames.hasNext()) {
                String resource = resourceNames.next();
                if (!resource.equals(ownResource)) {
                    throw invalid("invalid resource '" + resource + "': an account-owned token can only grant "
                            + "access to " + ownResource);
                }
            }
            JsonNode groups = policy.get("permission_groups");
            if (groups == null || !groups.isArray() || groups.isEmpty()) {
                throw invalid("policy permission_groups must contain at least one permission group");
            }
            ObjectNode normalizedPolicy = normalized.addObject();
            normalizedPolicy.put("id", ids.hex32());
            normalizedPolicy.put("effect", effect);
            ArrayNode normalizedGroups = normalizedPolicy.putArray("permission_groups");
            for (JsonNode group : groups) {
                String groupId = group.path("id").asText("");
                String groupName = PERMISSION_GROUPS.get(groupId);
                if (groupName == null) {
                    throw invalid("permission group '" + groupId + "' does not exist");
                }
                ObjectNode normalizedGroup = normalizedGroups.addObject();
                normalizedGroup.put("id", groupId);
                normalizedGroup.put("name", groupName);
                normalizedGroup.putObject("meta").put("scopes", "com.cloudflare.api.account");
                scim |= "allow".equals(effect) && SCIM_PERMISSION_GROUP_ID.equals(groupId);
            }
            normalizedPolicy.set("resources", resources.deepCopy());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresOn = instant(body, "expires_on");
        if (expiresOn != null && !expiresOn.isAfter(now)) {
            throw invalid("expires_on must be in the future");
        }
        Instant notBefore = instant(body, "not_before");

        TenantState.CloudflareToken token = new TenantState.CloudflareToken(ids.hex32(), account.id(), name,
                ids.tokenValue(), normalized, body.get("condition"), now, notBefore, expiresOn, scim);
        synchronized (state) {
            state.tokens.put(token.id, token);
            state.mintedTokenValues.add(token.value);
        }
        ObjectNode result = tokenJson(token);
        result.put("value", token.value);
        return success(result);
    }

    private EmulatedResponse listTokens(EmulatedRequest request, TenantState.CloudflareAccount account) {
        List<JsonNode> tokens = new ArrayList<>();
        synchronized (state) {
            for (TenantState.CloudflareToken token : state.tokens.values()) {
                if (token.accountId.equals(account.id()) && token.deletedOn == null) {
                    tokens.add(tokenJson(token));
                }
            }
        }
        return page(request, tokens);
    }

    private EmulatedResponse getToken(EmulatedRequest request, TenantState.CloudflareAccount account,
            String tokenId) {
        synchronized (state) {
            TenantState.CloudflareToken token = state.tokens.get(tokenId);
            if (token == null || token.deletedOn != null || !token.accountId.equals(account.id())) {
                throw tokenNotFound(request);
            }
            return success(tokenJson(token));
        }
    }

    private EmulatedResponse deleteToken(EmulatedRequest request, TenantState.CloudflareAccount account,
            String tokenId) {
        synchronized (state) {
            TenantState.CloudflareToken token = state.tokens.get(tokenId);
            if (token == null || token.deletedOn != null || !token.accountId.equals(account.id())) {
                throw tokenNotFound(request);
            }
            token.deletedOn = Instant.now();
        }
        ObjectNode result = EmulatedResponse.JSON.createObjectNode();
        result.put("id", tokenId);
        return success(result);
    }

    private static ObjectNode tokenJson(TenantState.CloudflareToken token) {
        ObjectNode json = EmulatedResponse.JSON.createObjectNode();
        json.put("id", token.id);
        json.put("name", token.name);
        json.put("status", token.expiresOn != null && !Instant.now().isBefore(token.expiresOn) ? "expired" : "active");
        json.put("issued_on", token.issuedOn.toString());
        json.put("modified_on", token.issuedOn.toString());
        json.putNull("last_used_on");
        if (token.notBefore != null) {
            json.put("not_before", token.notBefore.toString());
        }
        if (token.expiresOn != null) {
            json.put("expires_on", token.expiresOn.toString());
        }
        json.set("policies", token.policies.deepCopy());
        if (token.condition != null && !token.condition.isNull()) {
            json.set("condition", token.condition.deepCopy());
        }
        return json;
    }

    // ---- SCIM ----

    private EmulatedResponse scim(EmulatedRequest request, List<String> path) {
        String accountId = path.get(1);
        String header = request.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        int status;
        synchronized (state) {
            status = state.accounts.containsKey(accountId) ? scimStatus(accountId, token) : 404;
        }
        if (status == 404) {
            return scimError(404, "Resource not found");
        }
        if (status != 200) {
            return scimError(401, "Authentication error");
        }
        if (path.size() == 5 && "Users".equals(path.get(4)) && "GET".equals(request.method())) {
            // The emulated account has no members, so every query, and Entra's probe in particular, finds nobody.
            ObjectNode list = EmulatedResponse.JSON.createObjectNode();
            list.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:ListResponse");
            list.put("totalResults", 0);
            list.put("itemsPerPage", 0);
            list.put("startIndex", 1);
            list.putArray("Resources");
            return EmulatedResponse.json(200, list).header("Content-Type", "application/scim+json");
        }
        return scimError(404, "Resource not found");
    }

    /**
     * The status the SCIM endpoint of this account answers for a bearer token: 200 for a live token minted for the
     * account with the SCIM permission group, 401 otherwise or while the account's SCIM tokens are rejected.
     */
    int scimStatus(String accountId, String tokenValue) {
        synchronized (state) {
            if (tokenValue == null) {
                return 401;
            }
            for (TenantState.CloudflareToken token : state.tokens.values()) {
                if (token.value.equals(tokenValue)) {
                    if (!token.accountId.equals(accountId) || !token.scimPermission
                            || !token.isLive(Instant.now())) {
                        return 401;
                    }
                    if (faults.scimTokenRejected(accountId, token.id)) {
                        faults.count(TenantFaults.SCIM_TOKEN_REJECTED);
                        return 401;
                    }
                    return 200;
                }
            }
            return 401;
        }
    }

    /** The account whose SCIM base address this is, exactly as the product must save it; else null. */
    String scimAccountOf(String baseAddress) {
        if (baseAddress == null) {
            return null;
        }
        String prefix = cloudflareBaseUrl.get() + "/accounts/";
        if (!baseAddress.startsWith(prefix) || !baseAddress.endsWith("/scim/v2")) {
            return null;
        }
        String accountId = baseAddress.substring(prefix.length(), baseAddress.length() - "/scim/v2".length());
        synchronized (state) {
            return state.accounts.containsKey(accountId) ? accountId : null;
        }
    }

    /** Records the SCIM query that Entra makes on test connection, as a call of its own. */
    void recordEntraScimCheck(String accountId, String filter, int status) {
        String path = "/client/v4/accounts/" + accountId + "/scim/v2/Users?filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8);
        entraCheckRecorder.accept(new RecordedCall(Instant.now(), "entra-scim-check", "GET", path, status, null));
    }

    private static EmulatedResponse scimError(int status, String detail) {
        ObjectNode error = EmulatedResponse.JSON.createObjectNode();
        error.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:Error");
        error.put("status", Integer.toString(status));
        error.put("detail", detail);
        return EmulatedResponse.json(status, error).header("Content-Type", "application/scim+json");
    }

    // ---- envelopes and paging ----

    private EmulatedResponse page(EmulatedRequest request, List<JsonNode> items) {
        int page = positiveInt(request.query().get("page"), 1);
        int perPage = Math.min(MAX_PER_PAGE, positiveInt(request.query().get("per_page"), DEFAULT_PER_PAGE));
        int from = Math.min(items.size(), (page - 1) * perPage);
        int to = Math.min(items.size(), from + perPage);
        ObjectNode body = envelope(true);
        ArrayNode result = body.putArray("result");
        items.subList(from, to).forEach(result::add);
        ObjectNode info = body.putObject("result_info");
        info.put("page", page);
        info.put("per_page", perPage);
        info.put("count", to - from);
        info.put("total_count", items.size());
        info.put("total_pages", (items.size() + perPage - 1) / perPage);
        return EmulatedResponse.json(200, body);
    }

    private static int positiveInt(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            return value >= 1 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static ObjectNode envelope(boolean success) {
        ObjectNode body = EmulatedResponse.JSON.createObjectNode();
        body.put("success", success);
        body.putArray("errors");
        body.putArray("messages");
        return body;
    }

    private static EmulatedResponse success(JsonNode result) {
        ObjectNode body = envelope(true);
        body.set("result", result);
        return EmulatedResponse.json(200, body);
    }

    private static EmulatedResponse envelopeError(CloudflareError error) {
        ObjectNode body = envelope(false);
        ObjectNode entry = ((ArrayNode) body.get("errors")).addObject();
        entry.put("code", error.code);
        entry.put("message", error.getMessage());
        if (error.chain != null) {
            entry.set("error_chain", error.chain);
        }
        body.putNull("result");
        return EmulatedResponse.json(error.status, body);
    }

    private static CloudflareError invalid(String message) {
        return new CloudflareError(400, 1001, "Invalid request: " + message);
    }

    private static CloudflareError noRoute() {
        return new CloudflareError(404, 7003, "No route for the URI");
    }

    private static CloudflareError tokenNotFound(EmulatedRequest request) {
        return new CloudflareError(404, 7003, "Could not route to " + request.rawPath()
                + ", perhaps your object identifier is invalid?");
    }

    private static void requireMethod(EmulatedRequest request, String method) {
        if (!method.equals(request.method())) {
            throw new CloudflareError(405, 10405, "Method " + request.method() + " not allowed for this route");
        }
    }

    private static Instant instant(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw invalid(field + " must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z");
        }
    }

    private static Map<String, String> permissionGroups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("7cf72faf220841aabcfdfab81c43c4f6", "Billing Read");
        groups.put("9d24387c6e8544e2bc4024a03991339f", "Load Balancing: Monitors and Pools Read");
        groups.put("d2a1802cc9a34e30852f8b33869b2f3c", "Load Balancing: Monitors and Pools Write");
        groups.put(SCIM_PERMISSION_GROUP_ID, SCIM_PERMISSION_GROUP_NAME);
        groups.put("8b47d2786a534c08a1f94ee8f9f599ef", "Workers KV Storage Read");
        groups.put("f7f0eda5697f475c90846e879bab8666", "Workers KV Storage Write");
        groups.put("1a71c399035b4950a1bd1466bbe4f420", "Workers Scripts Read");
        groups.put("e086da7e2179491d91ee5f35b3ca210a", "Workers Scripts Write");
        return groups;
    }
}
