package dev.scimonboard.devtools.tenant;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Graph error answer raised from deep in a handler; the Graph front turns it into the error body. */
final class GraphError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();

    GraphError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** Adds a response header and returns this error. */
    GraphError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** 404 Request_ResourceNotFound with the directory's wording for a missing object. */
    static GraphError notFound(String id) {
        return new GraphError(404, "Request_ResourceNotFound", "Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    /** 400 Request_BadRequest with the given message. */
    static GraphError badRequest(String message) {
        return new GraphError(400, "Request_BadRequest", message);
    }

    /** 403 Authorization_RequestDenied, the answer to a missing permission. */
    static GraphError denied() {
        return new GraphError(403, "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.");
    }

    /** 405 for a method the route does not take. */
    static GraphError methodNotAllowed() {
        return new GraphError(405, "Request_BadRequest",
                "Specified HTTP method is not allowed for the request target.");
    }
}
