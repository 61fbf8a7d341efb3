package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer of an emulated service: status, headers and an optional JSON body. */
final class EmulatedResponse {

    /** The one JSON mapper of the tenant; thread-safe once configured. */
    static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    private EmulatedResponse(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    /** An answer with a JSON body. */
    static EmulatedResponse json(int status, JsonNode body) {
        try {
            EmulatedResponse response = new EmulatedResponse(status, JSON.writeValueAsBytes(body));
            return response.header("Content-Type", "application/json; charset=utf-8");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** An answer without a body, such as 204 No Content. */
    static EmulatedResponse empty(int status) {
        return new EmulatedResponse(status, new byte[0]);
    }

    /** An answer with a plain-text body. */
    static EmulatedResponse text(int status, String text) {
        return new EmulatedResponse(status, text.getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", "text/plain; charset=utf-8");
    }

    /** Adds or replaces a header and returns this answer. */
    EmulatedResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The HTTP status. */
    int status() {
        return status;
    }

    /** The headers to send. */
    Map<String, String> headers() {
        return headers;
    }

    /** The body bytes, empty when there is none. */
    byte[] body() {
        return body;
    }
}
