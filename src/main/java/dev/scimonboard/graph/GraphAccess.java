package dev.scimonboard.graph;

import com.azure.core.credential.TokenCredential;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import dev.scimonboard.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * Builds the one Graph client of the process: authenticated with the app's managed identity through azure-identity,
 * sending requests to {@code GRAPH_BASE_URL} and its access token to that host only.
 */
public final class GraphAccess {
    /** Graph's public and national hosts, each with the audience its tokens are issued for. */
    private static final Map<String, String> KNOWN_GRAPH_HOSTS = Map.of(
        "graph.microsoft.com", "https://graph.microsoft.com",
        "graph.microsoft.us", "https://graph.microsoft.us",
        "dod-graph.microsoft.us", "https://dod-graph.microsoft.us",
        "microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn");
    private static final String DEFAULT_AUDIENCE = "https://graph.microsoft.com";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private GraphAccess() {
    }

    /**
     * The Graph client for the given settings.
     *
     * @param settings the app settings
     * @param credential the app's identity
     * @return the client
     */
    public static GraphServiceClient client(Settings settings, TokenCredential credential) {
        URI base = settings.graphBaseUrl();
        String host = base.getHost().toLowerCase(Locale.ROOT);
        String scope = KNOWN_GRAPH_HOSTS.getOrDefault(host, DEFAULT_AUDIENCE) + "/.default";

        // The provider attaches the token only to hosts on this list: the configured host, and nothing else.
        AzureIdentityAuthenticationProvider authentication =
            new AzureIdentityAuthenticationProvider(credential, new String[] {host}, scope);

        // Retries are the pipeline's job (as delayed messages honouring Retry-After), so a function never sleeps
        // through a throttling wait; the SDK's own retry handler is switched off.
        RequestOption[] options = {new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0)};
        OkHttpClient.Builder builder = GraphClientFactory.create(options).callTimeout(CALL_TIMEOUT);
        settings.graphWritesPerSecond().ifPresent(rate -> builder.addInterceptor(new GraphWriteBudget(rate)));
        OkHttpClient http = builder.build();
        GraphServiceClient client = new GraphServiceClient(authentication, http);
        client.getRequestAdapter().setBaseUrl(base.toString());
        return client;
    }
}
