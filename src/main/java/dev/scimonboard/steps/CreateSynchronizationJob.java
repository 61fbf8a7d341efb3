package dev.scimonboard.steps;

import dev.scimonboard.TransientFailure;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Creates the SCIM synchronization job of the account's service principal, or reuses the one it has. */
public final class CreateSynchronizationJob implements Step {
    /** The synchronization template for a generic SCIM endpoint. */
    static final String SCIM_TEMPLATE = "scim";

    private final EntraClient entra;
    private final Duration replicationWindow;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     * @param replicationWindow how long a new job may stay unlisted
     */
    public CreateSynchronizationJob(EntraClient entra, Duration replicationWindow) {
        this.entra = entra;
        this.replicationWindow = replicationWindow;
    }

    @Override
    public StepName name() {
        return StepName.CREATE_JOB;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        String servicePrincipalId = onboarding.servicePrincipalId();

        // An application this service made moments ago, that was never asked for a job, has none: no need to list.
        boolean freshApplication = onboarding.jobId() == null && onboarding.jobRequestedAt() == null
            && onboarding.lastCreatedAt() != null
            && context.now().isBefore(onboarding.lastCreatedAt().plus(replicationWindow));
        List<SynchronizationJob> jobs = freshApplication ? List.of() : entra.jobs(servicePrincipalId);
        Optional<SynchronizationJob> existing = jobs.stream()
            .filter(job -> job.id().equals(onboarding.jobId()))
            .findFirst()
            .or(() -> jobs.stream().filter(CreateSynchronizationJob::isScim).findFirst());
        if (existing.isPresent()) {
            SynchronizationJob job = existing.get();
            return StepResult.completed("reused synchronization job " + job.id(),
                b -> b.jobId(job.id()).jobStatus(job.statusCode()).jobRequestedAt(null));
        }

        Instant now = context.now();
        if (onboarding.jobRequestedAt() != null
            && now.isBefore(onboarding.jobRequestedAt().plus(replicationWindow))) {
            // An earlier attempt asked for a job and never learned the answer (a timeout, a 5xx, a crash): the job
            // may exist and not be listed yet. Asking again could make a second one, so look again later.
            return StepResult.waitFor(CreateApplication.REPLICATION_POLL, "looking for the synchronization job "
                + "asked for at " + onboarding.jobRequestedAt() + " before asking again");
        }
        context.record(b -> b.jobRequestedAt(now));
        SynchronizationJob created;
        try {
            created = entra.createJob(servicePrincipalId, SCIM_TEMPLATE);
        } catch (TransientFailure e) {
            if (e.httpStatus() == 429) {
                // Throttled requests are refused before any work: nothing was made, so asking again is safe.
                context.record(b -> b.jobRequestedAt(null));
            }
            throw e;
        }
        // The new job may be invisible for a while: later steps take a 404 on it for replication, not for a loss.
        return StepResult.completed("created synchronization job " + created.id(),
            b -> b.jobId(created.id()).jobStatus(created.statusCode()).lastCreatedAt(now).jobRequestedAt(null));
    }

    private static boolean isScim(SynchronizationJob job) {
        return SCIM_TEMPLATE.equalsIgnoreCase(job.templateId()) || job.id().startsWith(SCIM_TEMPLATE + ".");
    }
}
