package dev.scimonboard.steps;

import static dev.scimonboard.steps.CreateApplication.REPLICATION_POLL;

import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Offboarding's first step: pauses every synchronization job of the account's service principal, so no cycle runs
 * against Cloudflare while the rest goes, and deletes it. A job or service principal that is already gone is what
 * this step wants.
 */
public final class RemoveJob implements Step {
    private final EntraClient entra;
    private final Duration replicationWindow;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     * @param replicationWindow how long a new object may stay invisible
     */
    public RemoveJob(EntraClient entra, Duration replicationWindow) {
        this.entra = entra;
        this.replicationWindow = replicationWindow;
    }

    private boolean recent(Instant at, StepContext context) {
        return at != null && context.now().isBefore(at.plus(replicationWindow));
    }

    @Override
    public StepName name() {
        return StepName.REMOVE_JOB;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        String servicePrincipal = onboarding.servicePrincipalId();
        if (servicePrincipal == null) {
            return StepResult.completed("no service principal was recorded, so there is no job to remove");
        }
        boolean settling = recent(onboarding.lastCreatedAt(), context) || recent(onboarding.jobRequestedAt(), context);
        if (entra.servicePrincipal(servicePrincipal).isEmpty()) {
            if (settling) {
                return StepResult.waitFor(REPLICATION_POLL, "service principal " + servicePrincipal + " is not "
                    + "visible yet; looking again before concluding it is gone");
            }
            return StepResult.completed("service principal " + servicePrincipal + " is already gone, with its jobs");
        }

        List<SynchronizationJob> jobs = entra.jobs(servicePrincipal);
        if (jobs.isEmpty() && onboarding.jobRequestedAt() != null && settling) {
            return StepResult.waitFor(REPLICATION_POLL, "the job asked for at " + onboarding.jobRequestedAt()
                + " is not listed yet; looking again before concluding there is none");
        }
        List<String> removed = new ArrayList<>();
        for (SynchronizationJob job : jobs) {
            entra.pauseJob(servicePrincipal, job.id());
            if (entra.deleteJob(servicePrincipal, job.id())) {
                removed.add(job.id());
            }
        }
        return StepResult.completed(removed.isEmpty() ? "service principal " + servicePrincipal + " has no job"
            : "paused and deleted synchronization job" + (removed.size() == 1 ? " " : "s ") + String.join(", ",
                removed), b -> b.jobId(null).jobStatus(null));
    }
}
