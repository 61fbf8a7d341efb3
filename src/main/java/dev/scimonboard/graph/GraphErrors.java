package dev.scimonboard.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.RetryAfter;
import dev.scimonboard.TransientFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/** Turns what the Graph SDK throws into a transient or permanent failure with a message a person can act on. */
final class GraphErrors {
    private GraphErrors() {
    }

    /**
     * Classifies a failed Graph call.
     *
     * @param e what the SDK threw
     * @param call what the call was for, such as "create the synchronization job"
     * @param permission the least Graph permission the call needs, named in the message when access is denied
     * @return the failure to throw
     */
    static OnboardingFailure classify(RuntimeException e, String call, String permission) {
        if (!(e instanceof ApiException api) || api.getResponseStatusCode() == 0) {
            if (hasCause(e, IOException.class)) {
                return new TransientFailure("GraphUnreachable", "Graph did not answer the call to " + call + ": "
                    + e.getMessage(), 0, null, e);
            }
            return new TransientFailure("GraphCallFailed", "The call to " + call + " failed: " + e, 0, null, e);
        }
        int status = api.getResponseStatusCode();
        String code = "Http" + status;
        String message = api.getMessage();
        if (api instanceof ODataError odata && odata.getError() != null) {
            code = odata.getError().getCode() == null ? code : odata.getError().getCode();
            message = odata.getError().getMessage() == null ? message : odata.getError().getMessage();
        }
        String said = "Graph answered " + status + " " + code + " to the call to " + call + ": " + message;
        if (status == 429 || status == 408 || status >= 500) {
            return new TransientFailure(code, said, status, retryAfter(api), e);
        }
        if (status == 403) {
            return new PermanentFailure(code, "Graph denied the call to " + call + ": the app's managed identity "
                + "lacks the Graph application permission " + permission + ". Grant it to the identity (a new "
                + "permission can take hours to reach its tokens), then send the PUT again.", status, e);
        }
        if (status == 401) {
            return new PermanentFailure(code, "Graph did not accept the managed identity's token for the call to "
                + call + " (" + message + "). Check that the Function App has its identity and that "
                + "GRAPH_BASE_URL names the Graph of the identity's cloud.", status, e);
        }
        return new PermanentFailure(code, said, status, e);
    }

    /** Whether the call answered 404. */
    static boolean isNotFound(RuntimeException e) {
        return e instanceof ApiException api && api.getResponseStatusCode() == 404;
    }

    /** The Graph error code of a failed call, or null. */
    static String errorCode(RuntimeException e) {
        if (e instanceof ODataError odata && odata.getError() != null) {
            return odata.getError().getCode();
        }
        return null;
    }

    /** The Graph error message of a failed call, or the exception's. */
    static String errorMessage(RuntimeException e) {
        if (e instanceof ODataError odata && odata.getError() != null && odata.getError().getMessage() != null) {
            return odata.getError().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** The status code of a failed call, or 0. */
    static int status(RuntimeException e) {
        return e instanceof ApiException api ? api.getResponseStatusCode() : 0;
    }

    private static Duration retryAfter(ApiException api) {
        if (api.getResponseHeaders() == null) {
            return null;
        }
        for (String name : api.getResponseHeaders().keySet()) {
            if ("retry-after".equalsIgnoreCase(name)) {
                Set<String> values = api.getResponseHeaders().get(name);
                for (String value : values) {
                    Duration parsed = RetryAfter.parse(value);
                    if (parsed != null) {
                        return parsed;
                    }
                }
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
