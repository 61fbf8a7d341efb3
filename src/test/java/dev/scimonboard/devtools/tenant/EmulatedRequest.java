package dev.scimonboard.devtools.tenant;

import com.sun.net.httpserver.Headers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the emulated services see it: method, decoded path segments, query parameters, headers and
 * body. The body that goes into the call log is kept apart, so that a service can redact it before it is recorded.
 */
final class EmulatedRequest {

    private static final int LOGGED_BODY_LIMIT = 4096;

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final List<String> segments;
    private final Map<String, String> query;
    private final Headers headers;
    private final byte[] body;
    private String loggedBody;

    EmulatedRequest(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.body = body;
        this.segments = Collections.unmodifiableList(splitPath(rawPath));
        this.query = Collections.unmodifiableMap(parseQuery(rawQuery));
        String text = new String(body, StandardCharsets.UTF_8);
        this.loggedBody = text.isEmpty() ? null
                : text.length() > LOGGED_BODY_LIMIT ? text.substring(0, LOGGED_BODY_LIMIT) + "...(truncated)" : text;
    }

    /** The HTTP method in upper case. */
    String method() {
        return method;
    }

    /** Whether the method changes state (POST, PUT, PATCH, DELETE). */
    boolean isWrite() {
        return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method) || "DELETE".equals(method);
    }

    /** The path as sent, still percent-encoded. */
    String rawPath() {
        return rawPath;
    }

    /** The path and query as sent, for the call log. */
    String pathAndQuery() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    /** The decoded, non-empty path segments. */
    List<String> segments() {
        return segments;
    }

    /** The decoded query parameters; the first value wins when a name repeats. */
    Map<String, String> query() {
        return query;
    }

    /** The first value of a header, or null. */
    String header(String name) {
        return headers.getFirst(name);
    }

    /** Every header's first value, by lower-case name. */
    Map<String, String> headerMap() {
        Map<String, String> result = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty()) {
                result.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        return result;
    }

    /** The raw body bytes, possibly empty. */
    byte[] body() {
        return body;
    }

    /** The body as it may appear in the call log, possibly null. */
    String loggedBody() {
        return loggedBody;
    }

    /** Replaces the body that the call log will show, because the real one carries a secret. */
    void redactLoggedBody(String replacement) {
        this.loggedBody = replacement;
    }

    private static List<String> splitPath(String rawPath) {
        List<String> parts = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                // A literal '+' in a path is a plus sign, not a space: protect it from URLDecoder.
                parts.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return parts;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            result.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return result;
    }
}
