package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint of a ticketing system, receiving the app's outcome callbacks: it takes a POST on any path,
 * records it (headers and body; the body is a status document, which holds no secret) and answers 200, unless told
 * to answer the next deliveries with another status. It checks each signature as a receiver should, with its own
 * HMAC-SHA256 over {@code <timestamp>.<body>}, and records whether it matched; it answers regardless, so that a test
 * sees what was sent.
 */
final class CallbackReceiver {
    /** How far a signature's timestamp may be from now for the receiver to take it. */
    private static final long TOLERANCE_SECONDS = 300;

    private record Fault(String path, int status, Integer retryAfterSeconds) {
    }

    private volatile String signingKey;
    private final List<ReceivedCallback> received = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    CallbackReceiver(String signingKey) {
        this.signingKey = signingKey;
    }

    /** The key callbacks must be signed with: the value of the app setting CALLBACK_SIGNING_KEY. */
    String signingKey() {
        return signingKey;
    }

    /** Replaces the key, for a function host whose CALLBACK_SIGNING_KEY was chosen elsewhere. */
    void signingKey(String key) {
        if (key == null || key.length() < 32) {
            throw new IllegalArgumentException("a callback signing key has at least 32 characters");
        }
        this.signingKey = key;
    }

    /**
     * Answers the next {@code count} deliveries to {@code path} (null for any) with {@code status}, adding
     * {@code Retry-After} when {@code retryAfterSeconds} is not null.
     */
    synchronized void failNext(String path, int count, int status, Integer retryAfterSeconds) {
        if (status < 100 || status > 599 || (status >= 200 && status <= 299)) {
            throw new IllegalArgumentException("a failing status is 1xx, 3xx, 4xx or 5xx, not " + status);
        }
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(path, status, retryAfterSeconds));
        }
    }

    /** Every delivery, oldest first. */
    synchronized List<ReceivedCallback> received() {
        return List.copyOf(received);
    }

    /** Forgets the deliveries and the faults. */
    synchronized void clear() {
        received.clear();
        faults.clear();
    }

    EmulatedResponse handle(EmulatedRequest request) {
        String body = new String(request.body(), StandardCharsets.UTF_8);
        boolean valid = verify(request.header("X-Scim-Onboarding-Timestamp"), body,
                request.header("X-Scim-Onboarding-Signature"));
        Fault fault = null;
        synchronized (this) {
            if ("POST".equals(request.method())) {
                for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
                    Fault candidate = it.next();
                    if (candidate.path() == null || candidate.path().equals(request.rawPath())) {
                        fault = candidate;
                        it.remove();
                        break;
                    }
                }
            }
            int status = !"POST".equals(request.method()) ? 405 : fault == null ? 200 : fault.status();
            received.add(new ReceivedCallback(Instant.now(), request.method(), request.pathAndQuery(),
                    request.headerMap(), body, status, valid));
        }
        if (!"POST".equals(request.method())) {
            return EmulatedResponse.text(405, "the callback receiver takes POST only").header("Allow", "POST");
        }
        if (fault == null) {
            ObjectNode accepted = EmulatedResponse.JSON.createObjectNode().put("received", true);
            return EmulatedResponse.json(200, accepted);
        }
        EmulatedResponse refused = EmulatedResponse.json(fault.status(), EmulatedResponse.JSON.createObjectNode()
                .put("error", "the emulated receiver was told to answer " + fault.status()));
        if (fault.status() >= 300 && fault.status() <= 399) {
            // A redirect to an internal address, which the app must not follow.
            refused.header("Location", "http://169.254.169.254/metadata/instance");
        }
        return fault.retryAfterSeconds() == null ? refused
                : refused.header("Retry-After", Integer.toString(fault.retryAfterSeconds()));
    }

    /** The receiver's own check: HMAC-SHA256 of "timestamp.body", compared in constant time, timestamp recent. */
    private boolean verify(String timestamp, String body, String signature) {
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            byte[] expected = ("sha256=" + HexFormat.of().formatHex(digest)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
