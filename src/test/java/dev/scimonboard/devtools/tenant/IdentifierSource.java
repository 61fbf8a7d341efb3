package dev.scimonboard.devtools.tenant;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * Makes the identifiers of the emulated services. Object ids come from the tenant's seedable random source, so a
 * seeded run is repeatable; secrets (token values) come from a SecureRandom, because a test scans for them.
 */
final class IdentifierSource {

    private static final String TOKEN_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    private final Random random;
    private final SecureRandom secureRandom = new SecureRandom();

    IdentifierSource(Random random) {
        this.random = random;
    }

    /** A random version-4 GUID in lower case. */
    String guid() {
        byte[] bytes = new byte[16];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[i] & 0xff);
            least = (least << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(most, least).toString();
    }

    /** 32 lowercase hex characters, the shape of Cloudflare ids and of the middle of a job id. */
    String hex32() {
        byte[] bytes = new byte[16];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        return HexFormat.of().formatHex(bytes);
    }

    /** An opaque base64url id of 32 random bytes, the shape of app role assignment ids. */
    String opaqueId() {
        byte[] bytes = new byte[32];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A fresh unpredictable 40-character secret, the shape of a Cloudflare API token value. */
    String tokenValue() {
        StringBuilder value = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            value.append(TOKEN_ALPHABET.charAt(secureRandom.nextInt(TOKEN_ALPHABET.length())));
        }
        return value.toString();
    }
}
