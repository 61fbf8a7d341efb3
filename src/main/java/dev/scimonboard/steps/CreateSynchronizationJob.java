package dev.scimonboard.steps;

import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.pipeline.Step;
import dev.scimonboard.pipeline.StepContext;
import dev.scimonboard.pipeline.StepName;
import dev.scimonboard.pipeline.StepResult;
import dev.scimonboard.status.Onboarding;
import java.util.List;
import java.util.Optional;

/** Creates the SCIM synchronization job of the account's service principal, or reuses the one it has. */
public final class CreateSynchronizationJob implements Step {
    /** The synchronization template for a generic SCIM endpoint. */
    static final String SCIM_TEMPLATE = "scim";

    private final EntraClient entra;

    /**
     * Creates the step.
     *
     * @param entra the Entra client
     */
    public CreateSynchronizationJob(EntraClient entra) {
        this.entra = entra;
    }

    @Override
    public StepName name() {
        return StepName.CREATE_JOB;
    }

    @Override
    public StepResult run(StepContext context) {
        Onboarding onboarding = context.onboarding();
        String servicePrincipalId = onboarding.servicePrincipalId();

        List<SynchronizationJob> jobs = entra.jobs(servicePrincipalId);
        Optional<SynchronizationJob> existing = jobs.stream()
            .filter(job -> job.id().equals(onboarding.jobId()))
            .findFirst()
            .or(() -> jobs.stream().filter(CreateSynchronizationJob::isScim).findFirst());
        if (existing.isPresent()) {
            SynchronizationJob job = existing.get();
            return StepResult.completed("reused synchronization job " + job.id(),
                b -> b.jobId(job.id()).jobStatus(job.statusCode()));
        }

        SynchronizationJob created = entra.createJob(servicePrincipalId, SCIM_TEMPLATE);
        return StepResult.completed("created synchronization job " + created.id(),
            b -> b.jobId(created.id()).jobStatus(created.statusCode()));
    }

    private static boolean isScim(SynchronizationJob job) {
        return SCIM_TEMPLATE.equalsIgnoreCase(job.templateId()) || job.id().startsWith(SCIM_TEMPLATE + ".");
    }
}
