package dev.scimonboard.devtools.tenant;

/**
 * A synchronization job of the emulated directory as a test sees it.
 *
 * @param id the job id, scim.&lt;32 hex&gt;.&lt;appId&gt;
 * @param servicePrincipalId the service principal the job belongs to
 * @param statusCode status.code: NotConfigured, NotRun, Active, Paused or Quarantine
 * @param scheduleState schedule.state: Disabled, Active or Paused
 * @param replicated whether Graph reads see it yet
 */
public record JobSnapshot(String id, String servicePrincipalId, String statusCode, String scheduleState,
        boolean replicated) {
}
