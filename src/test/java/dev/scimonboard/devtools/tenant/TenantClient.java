package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the tests: real requests against a running tenant, JSON in and out. */
final class TenantClient {

    /** One answer: status, headers and the body parsed as JSON when there is one. */
    record Answer(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EmulatedTenant tenant;

    TenantClient(EmulatedTenant tenant) {
        this.tenant = tenant;
    }

    /** A Graph access token from the tenant's managed identity endpoint. */
    String graphToken() {
        Answer answer = send("GET", tenant.identityEndpoint()
                + "?resource=https://graph.microsoft.com&api-version=2019-08-01", null,
                "X-IDENTITY-HEADER", tenant.identityHeader());
        if (answer.status() != 200) {
            throw new IllegalStateException("identity endpoint answered " + answer.status());
        }
        return answer.json().get("access_token").asText();
    }

    /** A Graph call with a fresh token; path is relative to /v1.0. */
    Answer graph(String method, String path, String body) {
        return send(method, tenant.graphBaseUrl() + path, body, "Authorization", "Bearer " + graphToken());
    }

    /** A Cloudflare call with the configured API token; path is relative to /client/v4. */
    Answer cloudflare(String method, String path, String body) {
        return send(method, tenant.cloudflareBaseUrl() + path, body, "Authorization",
                "Bearer " + tenant.cloudflareApiToken());
    }

    /** A control API call; path is relative to /_emulator. */
    Answer control(String method, String path, String body) {
        return send(method, tenant.baseUrl() + "/_emulator" + path, body);
    }

    /** Any call, with header name/value pairs. */
    Answer send(String method, String url, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : parse(response.body());
            return new Answer(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new IllegalStateException("call failed: " + method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Serializes a value to JSON text. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
