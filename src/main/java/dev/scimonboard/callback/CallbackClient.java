package dev.scimonboard.callback;

import dev.scimonboard.RetryAfter;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs one callback attempt with the JDK's HTTP client: short timeouts, redirects never followed (a redirect could
 * point anywhere, an internal address included), the receiver's answer body never read.
 */
public final class CallbackClient {
    /** How long connecting may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the receiver may take to answer, once connected. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final String USER_AGENT = "cloudflare-scim-onboarding-callbacks/1.0";

    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();

    /**
     * Sends one attempt.
     *
     * @param url where to
     * @param body the JSON body
     * @param headers the signature, timestamp and delivery headers
     * @return how the receiver answered, or that it did not, or that its address was refused
     */
    public CallbackAnswer post(CallbackUrl url, String body, Map<String, String> headers) {
        if (!url.listedExactly()) {
            try {
                Optional<String> internal = internalAddress(url.host());
                if (internal.isPresent()) {
                    return CallbackAnswer.refused("host " + url.host() + " resolves to the internal address "
                        + internal.get() + "; only a host listed exactly in " + CallbackHosts.SETTING
                        + " (not through a wildcard) may");
                }
            } catch (UnknownHostException e) {
                return CallbackAnswer.none("host " + url.host() + " did not resolve");
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url.uri())
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream unread = response.body()) {
                // Closed unread: what a receiver answers is not kept, and a receiver that streams cannot hold us.
            }
            return CallbackAnswer.of(response.statusCode(), response.headers().firstValue("Retry-After")
                .map(RetryAfter::parse));
        } catch (HttpTimeoutException e) {
            return CallbackAnswer.none("no answer within " + (e instanceof java.net.http.HttpConnectTimeoutException
                ? CONNECT_TIMEOUT.toSeconds() + " seconds to connect" : REQUEST_TIMEOUT.toSeconds() + " seconds"));
        } catch (IOException e) {
            return CallbackAnswer.none(e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a callback", e);
        }
    }

    /**
     * The first address of a host that is not on the public internet (loopback, private, link-local, unique local,
     * shared address space, unspecified, multicast), if any. The HTTP client resolves the name again when it
     * connects, so a name whose answers change in between is not caught: the allow-list is the real boundary, and
     * this check keeps a wildcard's names from pointing at internal services by ordinary DNS records.
     *
     * @param host the host name
     * @return such an address, as text
     * @throws UnknownHostException when the name does not resolve
     */
    static Optional<String> internalAddress(String host) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (isInternal(address)) {
                return Optional.of(address.getHostAddress());
            }
        }
        return Optional.empty();
    }

    /** Whether an address is not a public internet address. */
    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
            || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            // 100.64.0.0/10, the shared address space of carrier-grade NAT.
            return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        }
        // fc00::/7, unique local IPv6 addresses.
        return address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc;
    }
}
