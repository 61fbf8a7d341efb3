package dev.scimonboard.devtools.tenant;

import java.time.Instant;

/**
 * One call the emulated tenant answered, as kept in its call log. The request body is absent or redacted for calls
 * that carry secrets (synchronization secrets, credentials to validate), and no header is kept at all.
 *
 * @param time when the call arrived
 * @param service which emulated service answered: graph, cloudflare, identity, or entra-scim-check for the SCIM
 *     query that Entra itself makes while it validates credentials
 * @param method the HTTP method
 * @param pathAndQuery the path with its query string, as sent
 * @param status the HTTP status answered
 * @param requestBody the request body, redacted where it held a secret; null when there was none
 */
public record RecordedCall(Instant time, String service, String method, String pathAndQuery, int status,
        String requestBody) {
}
