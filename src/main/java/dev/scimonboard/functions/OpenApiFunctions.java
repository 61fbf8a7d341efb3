package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.scimonboard.api.ApiResponse;
import dev.scimonboard.api.OpenApiDocument;
import java.util.Optional;

/** Serves the OpenAPI description of the HTTP API, for import into a ticketing system. Callers need a key. */
public final class OpenApiFunctions {

    /**
     * {@code GET /api/openapi.json}: the OpenAPI 3.1 document of the onboardings API.
     *
     * @param request the request
     * @param context the invocation
     * @return 200 with the document
     */
    @FunctionName("GetOpenApiDocument")
    public HttpResponseMessage get(
        @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "openapi.json",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
        ExecutionContext context) {
        ApiResponse response = OpenApiDocument.get();
        HttpResponseMessage.Builder builder = request.createResponseBuilder(HttpStatusType.custom(response.status()));
        response.headers().forEach(builder::header);
        return builder.body(response.body()).build();
    }
}
