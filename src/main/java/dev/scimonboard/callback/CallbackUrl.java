package dev.scimonboard.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The https URL a request asks its outcome to be POSTed to, checked against the hosts the operator allows.
 *
 * @param url the URL, with scheme and host in lower case
 * @param host the host, lower case
 * @param listedExactly whether the host is listed exactly in the allow-list, rather than allowed by a wildcard;
 *     only such hosts may resolve to private or loopback addresses
 */
public record CallbackUrl(String url, String host, boolean listedExactly) {
    private static final String EXAMPLE = "https://hooks.example.com/scim-onboarding";

    /** The URL as a URI. */
    public URI uri() {
        return URI.create(url);
    }

    /**
     * Reads a callback URL and checks that callbacks may go to it: https, no user information, no fragment, and a
     * host that {@link CallbackHosts} allows.
     *
     * @param text the URL as the caller wrote it
     * @param allowed the allowed hosts
     * @return the URL
     * @throws IllegalArgumentException with what to fix, for the request's field error
     */
    public static CallbackUrl parse(String text, CallbackHosts allowed) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be an https URL such as " + EXAMPLE);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("must be an https URL such as " + EXAMPLE
                + "; callbacks are never sent over plain http");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("must name a host by its DNS name (ASCII; write an international name "
                + "in its xn-- form), such as " + EXAMPLE);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not hold a user name or password; the receiver checks the "
                + "X-Scim-Onboarding-Signature header instead");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a fragment (#...)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            throw new IllegalArgumentException("must name its host without a trailing dot");
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("cannot be used: this service sends no callbacks (its operator "
                + "allows callback hosts in the app setting " + CallbackHosts.SETTING + "); leave the field out and "
                + "follow the onboarding on its status resource");
        }
        boolean address = CallbackHosts.isAddressLiteral(host);
        if ((address || CallbackHosts.isLocalhost(host)) && !allowed.listsExactly(host)) {
            throw new IllegalArgumentException("names " + (address ? "the IP address " : "the local host ") + host
                + "; callbacks go to host names that the service allows, such as " + EXAMPLE);
        }
        if (!allowed.allows(host)) {
            throw new IllegalArgumentException("names host " + host + ", which this service does not call back; "
                + "the hosts allowed are " + allowed.describe() + " (app setting " + CallbackHosts.SETTING + ")");
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new CallbackUrl("https://" + host + port + path + query, host, allowed.listsExactly(host));
    }
}
