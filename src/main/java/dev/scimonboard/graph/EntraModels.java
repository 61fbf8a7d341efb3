package dev.scimonboard.graph;

import java.util.List;
import java.util.Optional;

/** The few facts about Entra objects that the steps need, free of the Graph SDK's types. */
public final class EntraModels {
    private EntraModels() {
    }

    /**
     * What instantiating the template made.
     *
     * @param applicationId the application object's id
     * @param appId the application (client) id
     * @param servicePrincipalId the service principal's object id
     */
    public record CreatedApplication(String applicationId, String appId, String servicePrincipalId) {
    }

    /**
     * A service principal.
     *
     * @param id its object id
     * @param appId its application (client) id
     * @param displayName its display name
     * @param appRoles the application's roles
     */
    public record ServicePrincipal(String id, String appId, String displayName, List<AppRole> appRoles) {
        /** Copies the list. */
        public ServicePrincipal {
            appRoles = List.copyOf(appRoles);
        }

        /** The enabled role named {@code User}, which assignments use. */
        public Optional<AppRole> userRole() {
            return appRoles.stream()
                .filter(AppRole::enabled)
                .filter(role -> "User".equals(role.displayName()) || "User".equals(role.value()))
                .findFirst();
        }
    }

    /**
     * An application role.
     *
     * @param id its id
     * @param displayName its display name
     * @param value its value, possibly null
     * @param enabled whether it can be assigned
     */
    public record AppRole(String id, String displayName, String value, boolean enabled) {
    }

    /**
     * A synchronization job.
     *
     * @param id its id, such as {@code scim.0123...}
     * @param templateId the template it was made from
     * @param statusCode its status code: NotConfigured, NotRun, Active, Paused or Quarantine
     * @param scheduleState its schedule state: Active, Disabled or Paused
     */
    public record SynchronizationJob(String id, String templateId, String statusCode, String scheduleState) {
        /** Whether the job is running on its schedule. */
        public boolean active() {
            return "Active".equalsIgnoreCase(scheduleState) && !"Quarantine".equalsIgnoreCase(statusCode)
                && !"Paused".equalsIgnoreCase(statusCode);
        }
    }

    /**
     * An app role assignment on the application.
     *
     * @param id the assignment's id
     * @param principalId the user or group assigned
     * @param appRoleId the role
     */
    public record Assignment(String id, String principalId, String appRoleId) {
    }

    /**
     * What a synchronization job's status says.
     *
     * @param statusCode the status code, such as {@code Active} or {@code Quarantine}
     * @param quarantineReason why it is in quarantine, or null
     * @param quarantineSince when the current quarantine began, or null
     * @param quarantineErrorCode the error behind the quarantine, or null
     * @param quarantineErrorMessage that error's message, or null
     * @param lastExecutionState how the last cycle ended, or null
     * @param lastExecutionEnded when it ended, or null
     * @param countEntitled users and groups in scope in the last cycle, or null
     * @param countExported changes written to the SCIM endpoint in the last cycle, or null
     */
    public record JobStatusReading(String statusCode, String quarantineReason, java.time.Instant quarantineSince,
        String quarantineErrorCode, String quarantineErrorMessage, String lastExecutionState,
        java.time.Instant lastExecutionEnded, Long countEntitled, Long countExported) {
    }
}
