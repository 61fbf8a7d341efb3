package dev.scimonboard.steps;

import dev.scimonboard.PermanentFailure;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.AppRole;
import dev.scimonboard.graph.EntraModels.Assignment;
import dev.scimonboard.graph.EntraModels.ServicePrincipal;
import dev.scimonboard.graph.PrincipalNotFound;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Assigns the requested groups and users to the application with its {@code User} role, so that provisioning (with
 * SyncAll off) covers exactly them. Assignments that exist already are left as they are; those of principals not
 * asked for are removed only when the request says {@code prune}.
 */
public final class AssignAccess implements Step {
    private final EntraClient entra;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     */
    public AssignAccess(EntraClient entra) {
        this.entra = entra;
    }

    @Override
    public StepName name() {
        return StepName.ASSIGN_ACCESS;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        List<String> principals = onboarding.desired().principals();
        boolean prune = onboarding.desired().prune();
        if (principals.isEmpty() && !prune) {
            return StepResult.completed("no groups or users were asked for");
        }
        String servicePrincipalId = onboarding.servicePrincipalId();

        String roleId = onboarding.userRoleId() != null ? onboarding.userRoleId() : userRole(servicePrincipalId);
        List<Assignment> existing = entra.assignments(servicePrincipalId).stream()
            .filter(assignment -> roleId.equals(assignment.appRoleId()))
            .toList();
        Set<String> assigned = existing.stream().map(Assignment::principalId).collect(Collectors.toSet());

        int made = 0;
        for (String principalId : principals) {
            if (assigned.contains(principalId)) {
                continue;
            }
            try {
                entra.assign(servicePrincipalId, principalId, roleId);
            } catch (PrincipalNotFound e) {
                throw new PermanentFailure("PrincipalNotFound", "No user or group with object id " + principalId
                    + " exists in the tenant. Correct the groups or users of the request, then send the PUT again.",
                    404, e);
            }
            made++;
        }
        int kept = principals.size() - made;

        // Only when asked: an assignment made outside this project is someone's decision.
        int removed = 0;
        if (prune) {
            Set<String> wanted = Set.copyOf(principals);
            for (Assignment assignment : existing) {
                if (!wanted.contains(assignment.principalId())
                    && entra.removeAssignment(servicePrincipalId, assignment.id())) {
                    removed++;
                }
            }
        }
        return StepResult.completed("assigned " + made + " principal" + (made == 1 ? "" : "s") + " with role User ("
            + kept + " already assigned" + (prune ? ", " + removed + " not asked for removed" : "") + ")");
    }

    /** The User role's id, read from the service principal when create-app did not record it. */
    private String userRole(String servicePrincipalId) {
        ServicePrincipal servicePrincipal = entra.servicePrincipal(servicePrincipalId)
            .orElseThrow(() -> new TransientFailure("ServicePrincipalNotVisible", "service principal "
                + servicePrincipalId + " is not visible yet", 404, null, null));
        AppRole role = servicePrincipal.userRole().orElseThrow(() -> new PermanentFailure("UserRoleMissing",
            "The application of service principal " + servicePrincipalId + " has no enabled role named User, so "
                + "nobody can be assigned. Restore the User role in the application's manifest, then send the PUT "
                + "again."));
        return role.id();
    }
}
