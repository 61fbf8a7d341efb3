package dev.scimonboard.steps;

import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.util.ArrayList;
import java.util.List;

/**
 * Offboarding's first step: pauses every synchronization job of the account's service principal, so no cycle runs
 * against Cloudflare while the rest goes, and deletes it. A job or service principal that is already gone is what
 * this step wants.
 */
public final class RemoveJob implements Step {
    private final EntraClient entra;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     */
    public RemoveJob(EntraClient entra) {
        this.entra = entra;
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
        if (entra.servicePrincipal(servicePrincipal).isEmpty()) {
            return StepResult.completed("service principal " + servicePrincipal + " is already gone, with its jobs");
        }

        List<String> removed = new ArrayList<>();
        for (SynchronizationJob job : entra.jobs(servicePrincipal)) {
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
