package dev.scimonboard.devtools.host;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;

import java.net.URI;
import java.util.Map;

/**
 * The request a function receives. Header names are lower case, as the Java worker gives them.
 *
 * @param <T> the body type: {@code Optional<String>} for the usual {@code HttpRequestMessage<Optional<String>>}
 */
public final class LocalHttpRequest<T> implements HttpRequestMessage<T> {

    private final URI uri;
    private final HttpMethod method;
    private final Map<String, String> headers;
    private final Map<String, String> queryParameters;
    private final T body;

    /**
     * Creates a request.
     *
     * @param uri the full request URI
     * @param method the method
     * @param headers headers with lower-case names
     * @param queryParameters decoded query parameters
     * @param body the body, bound to the type the function declared
     */
    public LocalHttpRequest(URI uri, HttpMethod method, Map<String, String> headers,
                            Map<String, String> queryParameters, T body) {
        this.uri = uri;
        this.method = method;
        this.headers = Map.copyOf(headers);
        this.queryParameters = Map.copyOf(queryParameters);
        this.body = body;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return queryParameters;
    }

    @Override
    public T getBody() {
        return body;
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new LocalHttpResponse.Builder(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new LocalHttpResponse.Builder(status);
    }
}
