package dev.scimonboard.steps;

import dev.scimonboard.TransientFailure;
import dev.scimonboard.graph.ApplicationNotConfirmed;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.CreatedApplication;
import dev.scimonboard.graph.EntraModels.ServicePrincipal;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Creates the account's enterprise application from the template, once, and waits until its service principal is
 * readable.
 *
 * <p>The application's name carries the account id, so it can be found again. Before asking Graph for it, the step
 * records that it asked; until the replication window has passed since then, it only looks for the application by
 * name and never asks again, because Graph may answer 404 (or fail) and create it all the same.
 */
public final class CreateApplication implements Step {
    /** How long to wait before looking again for a new object. */
    static final Duration REPLICATION_POLL = Duration.ofSeconds(3);

    private final EntraClient entra;
    private final String templateId;
    private final Duration replicationWindow;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     * @param templateId the application template to instantiate
     * @param replicationWindow how long a new object may stay invisible
     */
    public CreateApplication(EntraClient entra, String templateId, Duration replicationWindow) {
        this.entra = entra;
        this.templateId = templateId;
        this.replicationWindow = replicationWindow;
    }

    @Override
    public StepName name() {
        return StepName.CREATE_APPLICATION;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        Instant now = context.now();

        if (onboarding.servicePrincipalId() != null) {
            Optional<ServicePrincipal> known = entra.servicePrincipal(onboarding.servicePrincipalId());
            if (known.isPresent()) {
                return readable(known.get());
            }
            if (recent(onboarding.lastCreatedAt(), now)) {
                return StepResult.waitFor(REPLICATION_POLL, "waiting for Entra to replicate service principal "
                    + onboarding.servicePrincipalId());
            }
            // The recorded service principal is gone (deleted outside this project): make the application again.
            context.record(b -> b.servicePrincipalId(null).applicationId(null).appId(null).userRoleId(null).jobId(null)
                .lastCreatedAt(null).instantiateAttemptedAt(null));
            onboarding = context.onboarding();
        }

        String displayName = onboarding.applicationDisplayName() != null ? onboarding.applicationDisplayName()
            : ApplicationNames.forAccount(onboarding.accountId(), onboarding.desired().displayName());
        // An account this service never asked an application for has none of its making: no need to look.
        boolean neverAsked = onboarding.applicationDisplayName() == null && onboarding.instantiateAttemptedAt() == null;
        List<ServicePrincipal> named = neverAsked ? List.of() : entra.servicePrincipalsNamed(displayName);
        if (!named.isEmpty()) {
            // Duplicates can only come from outside this project; taking the same one every time keeps runs stable.
            ServicePrincipal found = named.stream().min(Comparator.comparing(ServicePrincipal::id)).orElseThrow();
            String applicationId = onboarding.applicationId() != null ? onboarding.applicationId()
                : entra.applicationObjectId(found.appId()).orElse(null);
            // Found after this project asked for it: a later 404 on it may still be replication.
            Instant askedAt = recent(onboarding.instantiateAttemptedAt(), now) ? onboarding.instantiateAttemptedAt()
                : onboarding.lastCreatedAt();
            context.record(b -> b.servicePrincipalId(found.id()).appId(found.appId()).applicationId(applicationId)
                .applicationDisplayName(displayName).lastCreatedAt(askedAt));
            return readable(found);
        }
        if (recent(onboarding.instantiateAttemptedAt(), now)) {
            return StepResult.waitFor(REPLICATION_POLL, "looking for application '" + displayName
                + "', asked for at " + onboarding.instantiateAttemptedAt() + ", before asking again");
        }

        context.record(b -> b.applicationDisplayName(displayName).instantiateAttemptedAt(now));
        CreatedApplication created;
        try {
            created = entra.instantiate(templateId, displayName);
        } catch (ApplicationNotConfirmed e) {
            return StepResult.waitFor(REPLICATION_POLL, e.getMessage() + "; looking for it before asking again");
        } catch (TransientFailure e) {
            if (e.httpStatus() == 429) {
                // Throttled requests are refused before any work, so nothing was made: asking again is safe.
                context.record(b -> b.instantiateAttemptedAt(null));
            }
            throw e;
        }
        context.record(b -> b.applicationId(created.applicationId()).appId(created.appId())
            .servicePrincipalId(created.servicePrincipalId()).lastCreatedAt(now));
        return StepResult.waitFor(REPLICATION_POLL, "created application " + created.applicationId()
            + "; waiting for Entra to replicate service principal " + created.servicePrincipalId());
    }

    private static StepResult readable(ServicePrincipal servicePrincipal) {
        // The role's id is kept so that assign-access need not read the service principal again.
        String userRole = servicePrincipal.userRole().map(role -> role.id()).orElse(null);
        return StepResult.completed("service principal " + servicePrincipal.id() + " of application "
            + servicePrincipal.appId() + " is readable", b -> b.appId(servicePrincipal.appId()).userRoleId(userRole));
    }

    private boolean recent(Instant at, Instant now) {
        return at != null && now.isBefore(at.plus(replicationWindow));
    }
}
