package dev.scimonboard.status;

import java.time.Instant;

/**
 * How the last rotation of an account's minted SCIM token went. A failed rotation leaves the previous token saved
 * and working; the reason says what to fix.
 *
 * @param state {@code succeeded} or {@code failed}
 * @param at when it ended
 * @param tokenId the id of the token in use afterwards (the new one, or the old one kept after a failure)
 * @param code the failure's code, or null
 * @param message the failure's reason, or null
 */
public record TokenRotation(String state, Instant at, String tokenId, String code, String message) {
    /** The state of a rotation that replaced the token. */
    public static final String SUCCEEDED = "succeeded";
    /** The state of a rotation that kept the old token. */
    public static final String FAILED = "failed";
}
