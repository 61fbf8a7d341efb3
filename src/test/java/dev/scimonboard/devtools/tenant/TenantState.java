package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the emulated tenant holds: directory objects, synchronization jobs and secrets, and the emulated
 * Cloudflare accounts and tokens. Callers synchronize on the instance for every read and write, so a request sees
 * and changes the whole state at once.
 */
final class TenantState {

    /** An app role of a service principal. */
    record AppRole(String id, String displayName, String description) {
    }

    /** A user or group that can be assigned to an application. */
    record DirectoryPrincipal(String id, String displayName, String type) {
    }

    /** An application object; becomes visible to reads at visibleAt (epoch millis). */
    static final class Application {
        final String id;
        final String appId;
        final String displayName;
        final String templateId;
        final String serviceManagementReference;
        final String ownerId;
        final Instant created;
        final long visibleAt;
        final List<AppRole> appRoles;

        Application(String id, String appId, String displayName, String templateId, String serviceManagementReference,
                String ownerId, Instant created, long visibleAt, List<AppRole> appRoles) {
            this.id = id;
            this.appId = appId;
            this.displayName = displayName;
            this.templateId = templateId;
            this.serviceManagementReference = serviceManagementReference;
            this.ownerId = ownerId;
            this.created = created;
            this.visibleAt = visibleAt;
            this.appRoles = List.copyOf(appRoles);
        }
    }

    /** A service principal (enterprise application). */
    static final class ServicePrincipal {
        final String id;
        final String appId;
        final String displayName;
        final String templateId;
        final String ownerId;
        final Instant created;
        final long visibleAt;
        final List<AppRole> appRoles;
        final List<String> tags;

        ServicePrincipal(String id, String appId, String displayName, String templateId, String ownerId,
                Instant created, long visibleAt, List<AppRole> appRoles, List<String> tags) {
            this.id = id;
            this.appId = appId;
            this.displayName = displayName;
            this.templateId = templateId;
            this.ownerId = ownerId;
            this.created = created;
            this.visibleAt = visibleAt;
            this.appRoles = List.copyOf(appRoles);
            this.tags = List.copyOf(tags);
        }
    }

    /** A synchronization job of a service principal; its state fields change as it is started and paused. */
    static final class SynchronizationJob {
        final String id;
        final String servicePrincipalId;
        final String templateId;
        final Instant created;
        final long visibleAt;
        String scheduleState = "Disabled";
        String statusCode = "NotConfigured";
        String quarantineReason;
        String quarantineErrorCode;
        String quarantineErrorMessage;
        Instant quarantineBegan;
        Instant lastStarted;
        String lastExecutionState;
        Instant lastExecutionEnded;
        long lastExecutionEntitled;
        String lastExecutionErrorCode;
        String lastExecutionErrorMessage;

        SynchronizationJob(String id, String servicePrincipalId, String templateId, Instant created, long visibleAt) {
            this.id = id;
            this.servicePrincipalId = servicePrincipalId;
            this.templateId = templateId;
            this.created = created;
            this.visibleAt = visibleAt;
        }
    }

    /** An app role assignment of a user or group to a service principal. */
    record Assignment(String id, String resourceId, String resourceDisplayName, String principalId,
            String principalType, String principalDisplayName, String appRoleId, Instant created, long visibleAt) {
    }

    /** A Cloudflare account. */
    record CloudflareAccount(String id, String name, Instant created) {
    }

    /** An account API token minted by the emulated Cloudflare; the value never leaves through inspection. */
    static final class CloudflareToken {
        final String id;
        final String accountId;
        final String name;
        final String value;
        final ArrayNode policies;
        final JsonNode condition;
        final Instant issuedOn;
        final Instant notBefore;
        final Instant expiresOn;
        final boolean scimPermission;
        Instant deletedOn;

        CloudflareToken(String id, String accountId, String name, String value,
                ArrayNode policies, JsonNode condition,
                Instant issuedOn, Instant notBefore, Instant expiresOn, boolean scimPermission) {
            this.id = id;
            this.accountId = accountId;
            this.name = name;
            this.value = value;
            this.policies = policies;
            this.condition = condition;
            this.issuedOn = issuedOn;
            this.notBefore = notBefore;
            this.expiresOn = expiresOn;
            this.scimPermission = scimPermission;
        }

        /** Whether the token still authenticates at the given time. */
        boolean isLive(Instant now) {
            return deletedOn == null && (expiresOn == null || now.isBefore(expiresOn))
                    && (notBefore == null || !now.isBefore(notBefore));
        }
    }

    final Map<String, Application> applications = new LinkedHashMap<>();
    final Map<String, Application> deletedApplications = new LinkedHashMap<>();
    final Map<String, ServicePrincipal> servicePrincipals = new LinkedHashMap<>();
    final Map<String, SynchronizationJob> jobs = new LinkedHashMap<>();
    final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    final Map<String, Assignment> assignments = new LinkedHashMap<>();
    final Map<String, DirectoryPrincipal> principals = new LinkedHashMap<>();
    final Map<String, CloudflareAccount> accounts = new LinkedHashMap<>();
    final Map<String, CloudflareToken> tokens = new LinkedHashMap<>();
    final List<String> mintedTokenValues = new ArrayList<>();

    /** Forgets every object. */
    void clear() {
        applications.clear();
        deletedApplications.clear();
        servicePrincipals.clear();
        jobs.clear();
        secrets.clear();
        assignments.clear();
        principals.clear();
        accounts.clear();
        tokens.clear();
        mintedTokenValues.clear();
    }

    /** Removes a service principal and everything hanging off it: jobs, secrets, assignments. */
    void removeServicePrincipal(String servicePrincipalId) {
        servicePrincipals.remove(servicePrincipalId);
        jobs.values().removeIf(job -> job.servicePrincipalId.equals(servicePrincipalId));
        secrets.remove(servicePrincipalId);
        assignments.values().removeIf(a -> a.resourceId().equals(servicePrincipalId));
    }

    /** The service principal of an application, visible or not, or null. */
    ServicePrincipal servicePrincipalOfApp(String appId) {
        for (ServicePrincipal sp : servicePrincipals.values()) {
            if (sp.appId.equals(appId)) {
                return sp;
            }
        }
        return null;
    }
}
