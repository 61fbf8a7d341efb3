package dev.scimonboard.devtools.tenant;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One request the emulated callback receiver got, as a ticketing system's webhook endpoint would see it.
 *
 * @param at when it arrived
 * @param method the HTTP method
 * @param path the path and query, as sent
 * @param headers every header's first value, by lower-case name
 * @param body the body as text (a status document, which holds no secret)
 * @param answered the status the receiver answered with
 * @param signatureValid whether the signature header matched the tenant's signing key and a timestamp within five
 *     minutes, checked as a receiver would
 */
public record ReceivedCallback(Instant at, String method, String path, Map<String, String> headers, String body,
        int answered, boolean signatureValid) {

    /** A header's value by its name in any case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
