package dev.scimonboard.devtools.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls the onboardings API of the local host as a ticketing system would: a PUT that is sent again while the host
 * is down (killed, restarting) or answers 5xx, until it is accepted.
 */
public final class OnboardingCaller {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final int MAX_ATTEMPTS = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final Supplier<URI> host;
    private final AtomicInteger retries = new AtomicInteger();

    /**
     * Creates the caller.
     *
     * @param host supplies the host's root URL at each attempt, since a restarted host listens elsewhere
     */
    public OnboardingCaller(Supplier<URI> host) {
        this.host = host;
    }

    /**
     * PUTs one onboarding until the host accepts it.
     *
     * @param accountId the Cloudflare account
     * @param body the request body
     * @return when the 202 arrived
     * @throws IllegalStateException when the host answers 4xx, or keeps failing
     */
    public Instant put(String accountId, String body) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(onboarding(accountId))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return Instant.now();
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException("PUT " + accountId + " answered " + response.statusCode() + ": "
                        + response.body());
                }
            } catch (IOException e) {
                // The host is being killed or restarted: a caller would try again, and so does this one.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            retries.incrementAndGet();
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException("PUT " + accountId + " kept failing");
            }
            Waits.pause(RETRY_PAUSE);
        }
    }

    /**
     * GETs one onboarding's status document, once.
     *
     * @param accountId the Cloudflare account
     * @return the response
     * @throws IOException when the host does not answer
     */
    public HttpResponse<String> get(String accountId) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(onboarding(accountId)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * How many PUTs were sent again because the host was down or answered 5xx.
     *
     * @return the number of retries
     */
    public int retries() {
        return retries.get();
    }

    private URI onboarding(String accountId) {
        return URI.create(host.get().toString().replaceAll("/$", "") + "/api/onboardings/" + accountId);
    }
}
