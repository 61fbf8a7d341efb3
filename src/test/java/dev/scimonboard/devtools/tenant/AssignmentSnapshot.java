package dev.scimonboard.devtools.tenant;

/**
 * An app role assignment of the emulated directory as a test sees it.
 *
 * @param id the opaque assignment id
 * @param resourceId the service principal assigned to
 * @param principalId the user or group assigned
 * @param principalType User or Group
 * @param appRoleId the app role granted
 */
public record AssignmentSnapshot(String id, String resourceId, String principalId, String principalType,
        String appRoleId) {
}
