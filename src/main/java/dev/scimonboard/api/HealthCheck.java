package dev.scimonboard.api;

import static dev.scimonboard.Logs.line;

import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.graph.CredentialsRejected;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.JobStatusReading;
import dev.scimonboard.status.JobHealth;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.OnboardingState;
import dev.scimonboard.status.StatusConflict;
import dev.scimonboard.status.StatusPage;
import dev.scimonboard.status.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Reads the synchronization job of every succeeded onboarding, at a bounded pace, and records its health on the
 * status document: status code, quarantine (reason, since when, error) and the last provisioning cycle (state, end,
 * counts). A job in quarantine whose saved token Entra now refuses, when that token was minted by this service, is
 * repaired by a new run, which mints a token, saves and tests it, and starts the job again.
 */
public final class HealthCheck {
    private static final Logger LOG = Logger.getLogger(HealthCheck.class.getName());
    private static final int PAGE_SIZE = 100;

    private final StatusStore store;
    private final EntraClient entra;
    private final OnboardingsApi api;
    private final Duration spacing;
    private final Clock clock;
    private final AccountDiscovery.Pause pause;

    /**
     * Creates the check.
     *
     * @param store the status table
     * @param entra the Entra client
     * @param api the API, whose start begins a repair run as a PUT would
     * @param readsPerSecond the most jobs read per second
     * @param clock the clock
     * @param pause waits between reads
     */
    public HealthCheck(StatusStore store, EntraClient entra, OnboardingsApi api, int readsPerSecond, Clock clock,
        AccountDiscovery.Pause pause) {
        this.store = store;
        this.entra = entra;
        this.api = api;
        this.spacing = Duration.ofMillis(1000L / Math.max(1, readsPerSecond));
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * What a run did.
     *
     * @param checked jobs read
     * @param quarantined jobs found in quarantine
     * @param repairs repair runs started
     * @param failed jobs that could not be read or recorded
     */
    public record Summary(int checked, int quarantined, int repairs, int failed) {
    }

    /**
     * One run over every succeeded onboarding.
     *
     * @param runName names the run in the log
     * @return what it did
     */
    public Summary run(String runName) {
        int checked = 0;
        int quarantined = 0;
        int repairs = 0;
        int failed = 0;
        String continuation = null;
        try {
            do {
                StatusPage page = store.list(OnboardingState.SUCCEEDED, PAGE_SIZE, continuation);
                for (Onboarding onboarding : page.items()) {
                    if (onboarding.servicePrincipalId() == null || onboarding.jobId() == null) {
                        continue;
                    }
                    if (checked > 0) {
                        pause.pause(spacing);
                    }
                    checked++;
                    try {
                        JobHealth health = read(onboarding);
                        if (JobHealth.QUARANTINED.equals(health.state())) {
                            quarantined++;
                            if (repairIfTokenRefused(onboarding, health)) {
                                repairs++;
                            }
                        }
                    } catch (OnboardingFailure | StatusConflict e) {
                        failed++;
                        LOG.warning(line("could not check the job's health; the next run tries again", "accountId",
                            onboarding.accountId(), "run", runName, "reason", e.getMessage()));
                    }
                }
                continuation = page.continuation();
            } while (continuation != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info(line("health check stopped early: the host is stopping", "run", runName));
        }
        LOG.info(line("health check run finished", "run", runName, "checked", checked, "quarantined", quarantined,
            "repairs", repairs, "failed", failed));
        return new Summary(checked, quarantined, repairs, failed);
    }

    /** Reads the job and records what it says. */
    private JobHealth read(Onboarding onboarding) {
        JobStatusReading status = entra.jobStatus(onboarding.servicePrincipalId(), onboarding.jobId());
        JobHealth health = new JobHealth(status.statusCode(), status.quarantineReason(), status.quarantineSince(),
            status.quarantineErrorCode(), status.quarantineErrorMessage(), status.lastExecutionState(),
            status.lastExecutionEnded(), status.countEntitled(), status.countExported(), clock.instant());
        store.replace(onboarding.toBuilder().health(health).jobStatus(health.statusCode()).build());
        return health;
    }

    /**
     * Starts a repair run when the quarantine comes from the token: the token was minted by this service and Entra
     * refuses the saved credentials now. A quarantine for any other reason is only reported.
     */
    private boolean repairIfTokenRefused(Onboarding onboarding, JobHealth health) {
        if (onboarding.cloudflareTokenId() == null) {
            return false;
        }
        try {
            entra.validateSavedCredentials(onboarding.servicePrincipalId(), onboarding.jobId());
            LOG.info(line("job in quarantine, but Entra accepts the saved token; reported only", "accountId",
                onboarding.accountId(), "reason", health.quarantineReason(), "error", health.quarantineErrorCode()));
            return false;
        } catch (CredentialsRejected e) {
            OnboardingsApi.Accepted repair = api.start(onboarding.accountId(), onboarding.desired(),
                OnboardingsApi.correlationId(null));
            LOG.warning(line("job in quarantine because Entra refuses the saved token; repair run started",
                "accountId", onboarding.accountId(), "correlationId", repair.onboarding().correlationId(),
                "error", health.quarantineErrorCode(), "started", repair.started()));
            return repair.started();
        }
    }
}
