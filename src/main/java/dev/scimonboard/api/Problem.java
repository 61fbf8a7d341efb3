package dev.scimonboard.api;

import java.util.List;

/**
 * An error answer in the problem details format of RFC 9457 ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what was wrong with this request and how to fix it
 * @param errors each invalid part of the request, possibly none
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    /** Media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_BASE = "https://scim-onboarding.dev/problems/";

    /** Copies the list. */
    public Problem {
        errors = List.copyOf(errors);
    }

    /**
     * One invalid part of a request.
     *
     * @param pointer where, as a JSON pointer into the body (such as {@code /groups/2}), or the parameter's name
     * @param detail what is wrong with it and what is allowed
     */
    public record FieldError(String pointer, String detail) {
    }

    /** A 400 for a request body or parameters that do not validate. */
    static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(TYPE_BASE + "invalid-request", "The request is not valid", 400, detail, errors);
    }

    /** A 400 for an account id that is not a Cloudflare account id. */
    static Problem invalidAccountId(String detail) {
        return new Problem(TYPE_BASE + "invalid-account-id", "The account id is not valid", 400, detail, List.of());
    }

    /** A 404 for an account that was never onboarded. */
    static Problem notFound(String accountId) {
        return new Problem(TYPE_BASE + "not-found", "No onboarding for this account", 404, "Account " + accountId
            + " has not been onboarded. Send PUT /api/onboardings/" + accountId + " to onboard it.", List.of());
    }

    /** A 415 for a body that is not JSON. */
    static Problem unsupportedMediaType(String contentType) {
        return new Problem(TYPE_BASE + "unsupported-media-type", "The body must be JSON", 415,
            "The request's Content-Type is '" + contentType + "'; send the body as application/json.", List.of());
    }

    /** A 405 for a method the resource does not support. */
    static Problem methodNotAllowed(String method, String allowed) {
        return new Problem(TYPE_BASE + "method-not-allowed", "The method is not allowed", 405, method
            + " is not supported here; use " + allowed + ".", List.of());
    }

    /** A 503 when the request could not be queued. */
    static Problem unavailable(String detail) {
        return new Problem(TYPE_BASE + "unavailable", "The service is unavailable", 503, detail,
            List.of());
    }

    /** A 502 when a service behind this one refused what a dry run needed to read. */
    static Problem upstreamRefused(String detail) {
        return new Problem(TYPE_BASE + "upstream-refused", "A service behind this one refused the request", 502,
            detail, List.of());
    }
}
