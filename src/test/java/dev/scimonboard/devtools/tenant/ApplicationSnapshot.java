package dev.scimonboard.devtools.tenant;

/**
 * An application of the emulated directory as a test sees it, replicated or not.
 *
 * @param id the application object id
 * @param appId the application (client) id
 * @param displayName the display name
 * @param servicePrincipalId the object id of its service principal, or null when there is none
 * @param replicated whether Graph reads see it yet
 */
public record ApplicationSnapshot(String id, String appId, String displayName, String servicePrincipalId,
        boolean replicated) {
}
