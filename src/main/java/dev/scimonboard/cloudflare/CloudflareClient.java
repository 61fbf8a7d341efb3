package dev.scimonboard.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.RetryAfter;
import dev.scimonboard.TransientFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Cloudflare calls the project makes: list the accounts, find the SCIM permission group, mint, list and delete
 * account API tokens. Authenticated with the one API token the app keeps. Token values never reach a log or an
 * exception.
 */
public final class CloudflareClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PAGE_SIZE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI baseUrl;
    private final Supplier<String> apiToken;
    private final Optional<String> permissionGroupName;
    /** Permission group ids by account; they do not change, so each account is asked once per process. */
    private final ConcurrentHashMap<String, String> scimGroupIds = new ConcurrentHashMap<>();

    /**
     * Creates the client.
     *
     * @param baseUrl Cloudflare's API root, such as {@code https://api.cloudflare.com/client/v4}
     * @param apiToken supplies the API token when a call needs it
     * @param permissionGroupName the exact name of the SCIM permission group, or empty to recognise it
     */
    public CloudflareClient(URI baseUrl, Supplier<String> apiToken, Optional<String> permissionGroupName) {
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.baseUrl = baseUrl;
        this.apiToken = apiToken;
        this.permissionGroupName = permissionGroupName;
    }

    /**
     * The SCIM endpoint of an account, which Entra's synchronization job talks to.
     *
     * @param accountId the account
     * @return {@code {root}/accounts/{id}/scim/v2}
     */
    public String scimBaseAddress(String accountId) {
        return baseUrl + "/accounts/" + accountId + "/scim/v2";
    }

    /**
     * Mints an account API token allowed to provision the account over SCIM.
     *
     * @param accountId the account
     * @param name the token's name
     * @return the token; its value is a secret
     */
    public ScimToken mintScimToken(String accountId, String name) {
        String groupId = scimPermissionGroupId(accountId);
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        ObjectNode policy = body.putArray("policies").addObject();
        policy.put("effect", "allow");
        policy.putObject("resources").put("com.cloudflare.api.account." + accountId, "*");
        policy.putArray("permission_groups").addObject().put("id", groupId);
        JsonNode result = send("POST", "/accounts/" + accountId + "/tokens", body.toString(),
            "mint a SCIM token for account " + accountId).path("result");
        String id = result.path("id").asText(null);
        String value = result.path("value").asText(null);
        if (id == null || value == null) {
            throw new TransientFailure("CloudflareIncompleteAnswer", "Cloudflare minted a token for account "
                + accountId + " but its answer held no token id or value", 200, null, null);
        }
        return new ScimToken(id, value);
    }

    /**
     * One page of the accounts the API token can see, for discovery; the caller paces the pages.
     *
     * @param page the page number, from 1
     * @param perPage accounts per page (Cloudflare allows 5 to 50)
     * @return the page, and whether it is the last
     * @throws TransientFailure on 429 (Cloudflare's rate limit), 5xx or no answer
     * @throws PermanentFailure when the token may not list accounts
     */
    public AccountPage accounts(int page, int perPage) {
        JsonNode answer = send("GET", "/accounts?page=" + page + "&per_page=" + perPage, null,
            "list accounts (page " + page + ")");
        List<CloudflareAccount> accounts = new ArrayList<>();
        for (JsonNode account : answer.path("result")) {
            String id = account.path("id").asText(null);
            if (id != null) {
                accounts.add(new CloudflareAccount(id, account.path("name").asText("")));
            }
        }
        int totalPages = answer.path("result_info").path("total_pages").asInt(0);
        int count = answer.path("result").size();
        return new AccountPage(page, accounts, count == 0 || (totalPages > 0 ? page >= totalPages : count < perPage));
    }

    /**
     * The account API tokens of an account, all pages.
     *
     * @param accountId the account
     * @return the tokens, without values
     */
    public List<AccountToken> tokens(String accountId) {
        List<AccountToken> tokens = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode answer = send("GET", "/accounts/" + accountId + "/tokens?page=" + page + "&per_page="
                + PAGE_SIZE, null, "list the API tokens of account " + accountId);
            for (JsonNode token : answer.path("result")) {
                tokens.add(new AccountToken(token.path("id").asText(), token.path("name").asText(),
                    token.path("status").asText(null)));
            }
            JsonNode info = answer.path("result_info");
            int totalPages = info.path("total_pages").asInt(0);
            int count = answer.path("result").size();
            if (count == 0 || (totalPages > 0 ? page >= totalPages : count < PAGE_SIZE)) {
                return tokens;
            }
        }
    }

    /**
     * Deletes an account API token; one already gone counts as deleted.
     *
     * @param accountId the account
     * @param tokenId the token
     */
    public void deleteToken(String accountId, String tokenId) {
        try {
            send("DELETE", "/accounts/" + accountId + "/tokens/" + tokenId, null,
                "delete API token " + tokenId + " of account " + accountId);
        } catch (PermanentFailure e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
        }
    }

    private String scimPermissionGroupId(String accountId) {
        String known = scimGroupIds.get(accountId);
        if (known != null) {
            return known;
        }
        JsonNode groups = send("GET", "/accounts/" + accountId + "/tokens/permission_groups", null,
            "list the token permission groups of account " + accountId).path("result");
        for (JsonNode group : groups) {
            if (isScimGroup(group.path("name").asText(""))) {
                String id = group.path("id").asText();
                scimGroupIds.put(accountId, id);
                return id;
            }
        }
        throw new PermanentFailure("ScimPermissionGroupMissing", "Cloudflare offers no permission group for SCIM "
            + "provisioning" + permissionGroupName.map(n -> " named '" + n + "'").orElse("") + " in account "
            + accountId + ". SCIM needs an Enterprise account with SCIM enabled; if the group has another name, set "
            + "CLOUDFLARE_SCIM_PERMISSION_GROUP to it.");
    }

    private boolean isScimGroup(String name) {
        if (permissionGroupName.isPresent()) {
            return permissionGroupName.get().equals(name);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        // Cloudflare lists it as "SCIM Provisioning"; a read-only variant would not let Entra write members.
        return lower.startsWith("scim provisioning") && !lower.endsWith("read");
    }

    private JsonNode send(String method, String path, String body, String description) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + apiToken.get())
            .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientFailure("CloudflareUnreachable", "Cloudflare did not answer the call to "
                + description + ": " + e.getMessage(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("Interrupted", "interrupted while calling Cloudflare to " + description, 0,
                null, e);
        }
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300 && answer.path("success").asBoolean(false)) {
            return answer;
        }
        throw failure(status, answer, response, description);
    }

    private static OnboardingFailure failure(int status, JsonNode answer, HttpResponse<String> response,
        String description) {
        String errors = describeErrors(answer.path("errors"));
        String said = "Cloudflare answered " + status + " to the call to " + description
            + (errors.isEmpty() ? "" : ": " + errors);
        if (status == 429 || status >= 500) {
            Duration retryAfter = response.headers().firstValue("Retry-After").map(RetryAfter::parse).orElse(null);
            return new TransientFailure("CloudflareHttp" + status, said, status, retryAfter, null);
        }
        if (status == 401 || status == 403) {
            return PermanentFailure.outsideEntra("CloudflareAccessDenied", said + ". Check that CLOUDFLARE_API_TOKEN "
                + "is valid and may create account API tokens (Account API Tokens: Edit) for this account.", status,
                null);
        }
        return PermanentFailure.outsideEntra("CloudflareHttp" + status, said, status, null);
    }

    private static String describeErrors(JsonNode errors) {
        List<String> parts = new ArrayList<>();
        if (errors instanceof ArrayNode array) {
            for (JsonNode error : array) {
                parts.add(error.path("code").asText("?") + " " + error.path("message").asText(""));
            }
        }
        return String.join("; ", parts);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
