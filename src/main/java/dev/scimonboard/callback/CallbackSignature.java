package dev.scimonboard.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callbacks so that a receiver can tell they come from this service and were not changed or replayed: the
 * header {@value #SIGNATURE_HEADER} is {@code sha256=} followed by the lower-case hex HMAC-SHA256, keyed with the
 * UTF-8 bytes of the app setting {@value #KEY_SETTING}, of the text {@code <timestamp>.<body>}, where the timestamp
 * is the value of {@value #TIMESTAMP_HEADER} (Unix seconds) and the body the exact bytes POSTed.
 *
 * <p>A receiver recomputes the HMAC over the timestamp header, a dot and the raw body, compares it with the header in
 * constant time, and refuses a timestamp older than a few minutes ({@link #verify} does all three).
 */
public final class CallbackSignature {
    /** The header holding {@code sha256=<hex>}. */
    public static final String SIGNATURE_HEADER = "X-Scim-Onboarding-Signature";
    /** The header holding the signing time, in seconds since the epoch, which the signature covers. */
    public static final String TIMESTAMP_HEADER = "X-Scim-Onboarding-Timestamp";
    /** The header holding the delivery's id, the same on every attempt of one run's callback. */
    public static final String DELIVERY_HEADER = "X-Scim-Onboarding-Delivery";
    /** The header holding the attempt's number, from 1. */
    public static final String ATTEMPT_HEADER = "X-Scim-Onboarding-Attempt";
    /** The app setting holding the signing key (a Key Vault reference in Azure). */
    public static final String KEY_SETTING = "CALLBACK_SIGNING_KEY";
    /** The shortest key accepted, in characters: 32, the size of the HMAC-SHA256 output. */
    public static final int MIN_KEY_LENGTH = 32;

    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String UNRESOLVED_REFERENCE = "@Microsoft.KeyVault(";

    private CallbackSignature() {
    }

    /**
     * The signature header's value for a body sent at a time.
     *
     * @param key the signing key
     * @param timestamp the value of the timestamp header
     * @param body the body, exactly as sent
     * @return {@code sha256=<64 hex characters>}
     */
    public static String sign(String key, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /**
     * Checks a received callback as a receiver should: the signature matches (compared in constant time) and the
     * timestamp is no further from now than the tolerance.
     *
     * @param key the shared signing key
     * @param timestampHeader the timestamp header as received, possibly null
     * @param body the body exactly as received
     * @param signatureHeader the signature header as received, possibly null
     * @param now the receiver's time
     * @param tolerance how old (or early) a timestamp may be, such as five minutes
     * @return whether the callback is authentic and fresh
     */
    public static boolean verify(String key, String timestampHeader, String body, String signatureHeader,
        Instant now, Duration tolerance) {
        if (timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(key, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.strip().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * What is wrong with the configured key, if anything: callbacks are never sent unsigned.
     *
     * @param key the setting's value, empty when unset
     * @return a message naming the setting and what to do, or empty when the key can be used
     */
    public static Optional<String> keyProblem(Optional<String> key) {
        if (key.isEmpty()) {
            return Optional.of("The app setting " + KEY_SETTING + " is not set, and callbacks are never sent "
                + "unsigned; store a random key of at least " + MIN_KEY_LENGTH + " characters in Key Vault and "
                + "reference it from " + KEY_SETTING + ".");
        }
        if (key.get().startsWith(UNRESOLVED_REFERENCE)) {
            return Optional.of("The Key Vault reference of the app setting " + KEY_SETTING + " did not resolve; "
                + "check that its secret exists and that the app's identity may read it.");
        }
        if (key.get().startsWith("<") && key.get().endsWith(">")) {
            return Optional.of("The app setting " + KEY_SETTING + " still holds the sample's placeholder; store a "
                + "random key of at least " + MIN_KEY_LENGTH + " characters.");
        }
        if (key.get().length() < MIN_KEY_LENGTH) {
            return Optional.of("The app setting " + KEY_SETTING + " holds a key shorter than " + MIN_KEY_LENGTH
                + " characters; store a longer random key.");
        }
        return Optional.empty();
    }
}
