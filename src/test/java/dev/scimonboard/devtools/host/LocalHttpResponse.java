package dev.scimonboard.devtools.host;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response a function builds through {@code request.createResponseBuilder(...)}.
 */
public final class LocalHttpResponse implements HttpResponseMessage {

    private final HttpStatusType status;
    private final Map<String, String> headers;
    private final Object body;

    private LocalHttpResponse(HttpStatusType status, Map<String, String> headers, Object body) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String key) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(key)) {
                return header.getValue();
            }
        }
        return null;
    }

    /**
     * All headers in the order the function set them.
     *
     * @return the headers by name as the function spelled them
     */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public Object getBody() {
        return body;
    }

    /**
     * Builds a {@link LocalHttpResponse}; a header set twice keeps the last value, as in the Java worker.
     */
    public static final class Builder implements HttpResponseMessage.Builder {

        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpStatusType status;
        private Object body;

        /**
         * Starts a response with a status.
         *
         * @param status the status
         */
        public Builder(HttpStatusType status) {
            this.status = status;
        }

        @Override
        public HttpResponseMessage.Builder status(HttpStatusType newStatus) {
            this.status = newStatus;
            return this;
        }

        @Override
        public HttpResponseMessage.Builder header(String key, String value) {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(key));
            headers.put(key, value);
            return this;
        }

        @Override
        public HttpResponseMessage.Builder body(Object newBody) {
            this.body = newBody;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            return new LocalHttpResponse(status, headers, body);
        }
    }
}
