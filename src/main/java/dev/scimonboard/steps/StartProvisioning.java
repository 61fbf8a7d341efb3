package dev.scimonboard.steps;

import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;

/**
 * Starts the synchronization job when the request asks for it and the job is not already running, then records the
 * job's status. Starting a running job again is avoided: it is not a no-op in Entra.
 */
public final class StartProvisioning implements Step {
    private final EntraClient entra;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     */
    public StartProvisioning(EntraClient entra) {
        this.entra = entra;
    }

    @Override
    public StepName name() {
        return StepName.START_PROVISIONING;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        String servicePrincipalId = onboarding.servicePrincipalId();
        // A job whose last recorded status is not Active (a new one, as create-job recorded it) is started without
        // reading it first; one recorded as Active is read, since it may have been paused or quarantined since.
        boolean recordedIdle = onboarding.jobStatus() != null && !"Active".equalsIgnoreCase(onboarding.jobStatus());
        if (onboarding.desired().startProvisioning() && recordedIdle) {
            entra.startJob(servicePrincipalId, onboarding.jobId());
            SynchronizationJob started = entra.job(servicePrincipalId, onboarding.jobId());
            return StepResult.completed("started provisioning", b -> b.jobStatus(started.statusCode()));
        }
        SynchronizationJob job = entra.job(servicePrincipalId, onboarding.jobId());

        if (!onboarding.desired().startProvisioning()) {
            return StepResult.completed("left provisioning stopped, as asked", b -> b.jobStatus(job.statusCode()));
        }
        if (job.active()) {
            return StepResult.completed("provisioning was already running", b -> b.jobStatus(job.statusCode()));
        }
        entra.startJob(servicePrincipalId, job.id());
        SynchronizationJob started = entra.job(servicePrincipalId, job.id());
        return StepResult.completed("started provisioning", b -> b.jobStatus(started.statusCode()));
    }
}
