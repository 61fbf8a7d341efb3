package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.scimonboard.Services;
import dev.scimonboard.api.ApiResponse;
import dev.scimonboard.api.OnboardingsApi;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The HTTP face: binds each request to the onboardings API and copies its answer back. Callers need a key. */
public final class OnboardingFunctions {
    private static final Logger LOG = Logger.getLogger(OnboardingFunctions.class.getName());

    /**
     * {@code PUT /api/onboardings/{accountId}}: onboard a Cloudflare account.
     *
     * @param request the request
     * @param accountId the account id in the route
     * @param context the invocation
     * @return 202 with the status document, or a problem
     */
    @FunctionName("PutOnboarding")
    public HttpResponseMessage put(
        @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, route = "onboardings/{*accountId}",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
        @BindingName("accountId") String accountId,
        ExecutionContext context) {
        if (isCollection(accountId)) {
            return respond(request, () -> OnboardingsApi.methodNotAllowed("PUT", "GET, POST"));
        }
        return respond(request, () -> Services.get().api().put(accountId, header(request, "content-type"),
            request.getBody().orElse(null), header(request, "x-correlation-id"),
            request.getQueryParameters().get("dryRun")));
    }

    /**
     * {@code DELETE /api/onboardings/{accountId}}: offboard a Cloudflare account.
     *
     * @param request the request
     * @param accountId the account id in the route
     * @param context the invocation
     * @return 202 while deleting, 200 once deleted, or a problem
     */
    @FunctionName("DeleteOnboarding")
    public HttpResponseMessage delete(
        @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, route = "onboardings/{*accountId}",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
        @BindingName("accountId") String accountId,
        ExecutionContext context) {
        if (isCollection(accountId)) {
            return respond(request, () -> OnboardingsApi.methodNotAllowed("DELETE", "GET, POST"));
        }
        return respond(request, () -> Services.get().api().delete(accountId, header(request, "x-correlation-id"),
            request.getQueryParameters().get("dryRun")));
    }

    /**
     * {@code GET /api/onboardings/{accountId}}: the status document of one account.
     *
     * @param request the request
     * @param accountId the account id in the route
     * @param context the invocation
     * @return 200 with the document, or a problem
     */
    @FunctionName("GetOnboarding")
    public HttpResponseMessage get(
        @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "onboardings/{*accountId}",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
        @BindingName("accountId") String accountId,
        ExecutionContext context) {
        if (isCollection(accountId)) {
            return respond(request, () -> Services.get().api().list(request.getQueryParameters()));
        }
        return respond(request, () -> Services.get().api().get(accountId));
    }

    /**
     * {@code GET /api/onboardings}: a page of status documents.
     *
     * @param request the request
     * @param context the invocation
     * @return 200 with a page, or a problem
     */
    @FunctionName("ListOnboardings")
    public HttpResponseMessage list(
        @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "onboardings",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
        ExecutionContext context) {
        return respond(request, () -> Services.get().api().list(request.getQueryParameters()));
    }

    /**
     * {@code POST /api/onboardings}: many onboardings at once, each entry answered on its own.
     *
     * @param request the request, {@code {"accounts":[...]}}
     * @param context the invocation
     * @return 202 with one result per entry, or a problem
     */
    @FunctionName("BulkOnboardings")
    public HttpResponseMessage bulk(
        @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "onboardings",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
        ExecutionContext context) {
        return respond(request, () -> Services.get().api().bulk(header(request, "content-type"),
            request.getBody().orElse(null)));
    }

    /**
     * Any other method on one account's onboarding: 405 with the methods that are allowed.
     *
     * @param request the request
     * @param accountId the rest of the path
     * @param context the invocation
     * @return 405 as a problem
     */
    @FunctionName("OnboardingMethodNotAllowed")
    public HttpResponseMessage onboardingMethodNotAllowed(
        @HttpTrigger(name = "request", methods = {HttpMethod.POST, HttpMethod.PATCH},
            route = "onboardings/{*accountId}", authLevel = AuthorizationLevel.FUNCTION)
        HttpRequestMessage<Optional<String>> request,
        @BindingName("accountId") String accountId,
        ExecutionContext context) {
        if (isCollection(accountId) && request.getHttpMethod() == HttpMethod.POST) {
            return bulk(request, context);
        }
        String allowed = isCollection(accountId) ? "GET, POST" : "GET, PUT, DELETE";
        return respond(request, () -> OnboardingsApi.methodNotAllowed(request.getHttpMethod().name(), allowed));
    }

    /**
     * Any other method on the collection: 405 with the methods that are allowed.
     *
     * @param request the request
     * @param context the invocation
     * @return 405 as a problem
     */
    @FunctionName("OnboardingsMethodNotAllowed")
    public HttpResponseMessage onboardingsMethodNotAllowed(
        @HttpTrigger(name = "request", methods = {HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE},
            route = "onboardings", authLevel = AuthorizationLevel.FUNCTION)
        HttpRequestMessage<Optional<String>> request,
        ExecutionContext context) {
        return respond(request, () -> OnboardingsApi.methodNotAllowed(request.getHttpMethod().name(),
            "GET, POST"));
    }

    /**
     * Whether a catch-all account route matched the collection itself: a catch-all parameter may match nothing, and
     * which of two matching routes a host prefers is not something to rely on.
     */
    private static boolean isCollection(String accountId) {
        return accountId == null || accountId.isEmpty();
    }

    private static String header(HttpRequestMessage<?> request, String name) {
        for (Map.Entry<String, String> header : request.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Runs the API call; when storage or the app's settings fail it, answers 503 with a problem, not a bare 500. */
    private static HttpResponseMessage respond(HttpRequestMessage<?> request, Supplier<ApiResponse> call) {
        ApiResponse response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the onboardings API could not answer " + request.getHttpMethod() + " "
                + request.getUri().getPath(), e);
            response = OnboardingsApi.unavailable();
        }
        HttpResponseMessage.Builder builder = request.createResponseBuilder(HttpStatusType.custom(response.status()));
        response.headers().forEach(builder::header);
        if (response.body() != null) {
            builder.body(response.body());
        }
        return builder.build();
    }
}
