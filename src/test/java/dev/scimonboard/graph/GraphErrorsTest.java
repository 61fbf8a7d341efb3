package dev.scimonboard.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.odataerrors.MainError;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ResponseHeaders;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.TransientFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphErrorsTest {

    @Test
    void throttlingIsTransientAndKeepsFractionalRetryAfter() {
        OnboardingFailure failure = GraphErrors.classify(error(429, "TooManyRequests", "2.128"), "call", "P");

        TransientFailure t = assertInstanceOf(TransientFailure.class, failure);
        assertEquals(Duration.ofMillis(2128), t.retryAfter().orElseThrow());
        assertEquals("TooManyRequests", t.code());
    }

    @Test
    void serverErrorsAreTransient() {
        assertInstanceOf(TransientFailure.class, GraphErrors.classify(error(503, "ServiceUnavailable", null), "c", "P"));
        assertInstanceOf(TransientFailure.class, GraphErrors.classify(error(504, "GatewayTimeout", null), "c", "P"));
    }

    @Test
    void deniedAccessIsPermanentAndNamesThePermission() {
        OnboardingFailure failure = GraphErrors.classify(error(403, "Authorization_RequestDenied", null),
            "assign principal x", "AppRoleAssignment.ReadWrite.All");

        assertInstanceOf(PermanentFailure.class, failure);
        assertTrue(failure.getMessage().contains("lacks the Graph application permission "
            + "AppRoleAssignment.ReadWrite.All"), failure.getMessage());
        assertEquals(403, failure.httpStatus());
    }

    @Test
    void badRequestIsPermanentWithGraphsMessage() {
        OnboardingFailure failure = GraphErrors.classify(error(400, "Request_BadRequest", null), "c", "P");

        assertInstanceOf(PermanentFailure.class, failure);
        assertTrue(failure.getMessage().contains("message from Graph"));
    }

    @Test
    void noAnswerIsTransient() {
        OnboardingFailure failure = GraphErrors.classify(new UncheckedIOException(new IOException("timeout")), "c",
            "P");

        assertInstanceOf(TransientFailure.class, failure);
        assertEquals(0, failure.httpStatus());
    }

    private static ODataError error(int status, String code, String retryAfter) {
        MainError main = new MainError();
        main.setCode(code);
        main.setMessage("message from Graph");
        ODataError error = new ODataError();
        error.setError(main);
        ResponseHeaders headers = new ResponseHeaders();
        if (retryAfter != null) {
            headers.put("Retry-After", Set.of(retryAfter));
        }
        return new ODataErrorWithStatus(error, status, headers);
    }

    /** The SDK sets the status and headers through protected setters; this subclass reaches them. */
    private static final class ODataErrorWithStatus extends ODataError {
        private static final long serialVersionUID = 1L;

        ODataErrorWithStatus(ODataError from, int status, ResponseHeaders headers) {
            setError(from.getError());
            setResponseStatusCode(status);
            setResponseHeaders(headers);
        }
    }
}
