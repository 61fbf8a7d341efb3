package dev.scimonboard.api;

import java.util.Map;

/**
 * An HTTP answer of the onboardings API, independent of the Functions library: the function adapter copies it
 * into the host's response.
 *
 * @param status the HTTP status
 * @param headers the headers to set
 * @param body the JSON body, possibly null
 */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    /** Copies the headers. */
    public ApiResponse {
        headers = Map.copyOf(headers);
    }
}
