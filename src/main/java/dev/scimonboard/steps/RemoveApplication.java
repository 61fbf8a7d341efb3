package dev.scimonboard.steps;

import static dev.scimonboard.steps.CreateApplication.REPLICATION_POLL;

import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.ServicePrincipal;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes the account's service principal and its application. Entra keeps a deleted application in its deleted
 * items for 30 days, from where an administrator can restore it. Besides the recorded ids, the step looks for the
 * application by its name when an onboarding asked for one and its answer was never recorded (a DELETE that came
 * while create-app was waiting for Entra), and waits out the replication window before concluding there is none.
 */
public final class RemoveApplication implements Step {
    private final EntraClient entra;
    private final Duration replicationWindow;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     * @param replicationWindow how long a new application may stay invisible
     */
    public RemoveApplication(EntraClient entra, Duration replicationWindow) {
        this.entra = entra;
        this.replicationWindow = replicationWindow;
    }

    /** Whether an object of the account was made so recently that Entra may not show it yet. */
    private boolean settling(Onboarding onboarding, Instant now) {
        for (Instant at : new Instant[] {onboarding.lastCreatedAt(), onboarding.instantiateAttemptedAt()}) {
            if (at != null && now.isBefore(at.plus(replicationWindow))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public StepName name() {
        return StepName.REMOVE_APPLICATION;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        Set<String> servicePrincipals = new LinkedHashSet<>();
        Set<String> appIds = new LinkedHashSet<>();
        if (onboarding.servicePrincipalId() != null) {
            servicePrincipals.add(onboarding.servicePrincipalId());
        }
        if (onboarding.appId() != null) {
            appIds.add(onboarding.appId());
        }
        if (onboarding.applicationDisplayName() != null && (onboarding.instantiateAttemptedAt() != null
            || onboarding.applicationId() != null)) {
            for (ServicePrincipal named : entra.servicePrincipalsNamed(onboarding.applicationDisplayName())) {
                servicePrincipals.add(named.id());
                appIds.add(named.appId());
            }
        }
        Instant asked = onboarding.instantiateAttemptedAt();
        if (servicePrincipals.isEmpty() && asked != null && context.now().isBefore(asked.plus(replicationWindow))) {
            return StepResult.waitFor(REPLICATION_POLL, "looking for application '"
                + onboarding.applicationDisplayName() + "', asked for at " + asked + ", before concluding there is "
                + "none to delete");
        }

        List<String> deleted = new ArrayList<>();
        boolean missing = false;
        for (String servicePrincipal : servicePrincipals) {
            if (entra.deleteServicePrincipal(servicePrincipal)) {
                deleted.add("service principal " + servicePrincipal);
            } else {
                missing = true;
            }
        }
        Set<String> applications = new LinkedHashSet<>();
        if (onboarding.applicationId() != null) {
            applications.add(onboarding.applicationId());
        }
        for (String appId : appIds) {
            Optional<String> found = entra.applicationObjectId(appId);
            found.ifPresent(applications::add);
        }
        for (String application : applications) {
            if (entra.deleteApplication(application)) {
                deleted.add("application " + application);
            } else {
                missing = true;
            }
        }
        if (missing && settling(onboarding, context.now())) {
            // A 404 soon after the object was made is Entra not showing it yet, not its absence: try again.
            return StepResult.waitFor(REPLICATION_POLL, "Entra does not show all of " + servicePrincipals + " "
                + applications + " yet (deleted so far: " + deleted + "); trying again");
        }
        return StepResult.completed(deleted.isEmpty() ? "no application or service principal was left to delete"
            : "deleted " + String.join(", ", deleted) + " (restorable from Entra's deleted items for 30 days)",
            b -> b.servicePrincipalId(null).applicationId(null).appId(null).instantiateAttemptedAt(null));
    }
}
