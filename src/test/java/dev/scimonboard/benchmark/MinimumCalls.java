package dev.scimonboard.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fewest Microsoft Graph requests and writes one onboarding can take with the project's six steps, when nothing
 * fails, nothing existed before, and the request asks for {@code principals} groups and users and for provisioning to
 * start. Derived step by step from what each step must do:
 *
 * <ol>
 * <li>create-app: instantiate the template (1 write), then read the new service principal once (1 read): Entra
 * replicates it for seconds, and the step must see it readable before the next step uses it; the same read answers
 * the id of the application's {@code User} role, which the assignments need;</li>
 * <li>create-job: create the synchronization job (1 write);</li>
 * <li>save-secrets: save BaseAddress, SecretToken and the other secrets in one call (1 write; minting the token is a
 * Cloudflare call, not a Graph one);</li>
 * <li>test-connection: validateCredentials (1 write: it is a POST, and Graph's write limit counts POSTs);</li>
 * <li>assign-access: list the existing assignments (1 read), since a PUT that converges an account onboarded before
 * must not assign twice, then one assignment per principal ({@code principals} writes);</li>
 * <li>start-provisioning: start the job (1 write).</li>
 * </ol>
 *
 * <p>Hence {@code 7 + principals} requests, of which {@code 5 + principals} are writes. Left out of the minimum
 * because a first attempt does not need them: the lookup by name before instantiating and the job list before
 * creating (the status table already says whether this run asked before), a second read of the service principal,
 * the application-id lookup, and reading the job before and after starting it (a job just created is never
 * running). Retries after 429, replication 404s and waits add to the measured figure, never to the minimum.
 *
 * <p>For Cloudflare the minimum is one call, minting the token: the SCIM permission group's id can be looked up once
 * per process, and a first onboarding has no older token to list and delete.
 */
public final class MinimumCalls {
    /** Graph writes that do not depend on the number of principals: instantiate, job, secrets, validate, start. */
    static final int FIXED_WRITES = 5;
    /** Graph reads an onboarding must make: the new service principal, and the assignments list. */
    static final int READS = 2;
    /** Cloudflare calls an onboarding must make: minting the SCIM token. */
    static final int CLOUDFLARE_CALLS = 1;

    private MinimumCalls() {
    }

    /**
     * The fewest Graph requests of one onboarding.
     *
     * @param principals the groups and users the request asks to assign
     * @return {@code 7 + principals}
     */
    public static int graphRequests(int principals) {
        return FIXED_WRITES + READS + principals;
    }

    /**
     * The fewest Graph writes of one onboarding.
     *
     * @param principals the groups and users the request asks to assign
     * @return {@code 5 + principals}
     */
    public static int graphWrites(int principals) {
        return FIXED_WRITES + principals;
    }

    /**
     * The fewest Cloudflare calls of one onboarding.
     *
     * @return 1
     */
    public static int cloudflareCalls() {
        return CLOUDFLARE_CALLS;
    }

    /**
     * The minimum call by call, for the report.
     *
     * @param principals the groups and users the request asks to assign
     * @return each call with how often it is made, in step order
     */
    public static Map<String, Integer> breakdown(int principals) {
        Map<String, Integer> calls = new LinkedHashMap<>();
        calls.put("create-app: POST applicationTemplates/{id}/instantiate (write)", 1);
        calls.put("create-app: GET servicePrincipals/{id} (read)", 1);
        calls.put("create-job: POST servicePrincipals/{id}/synchronization/jobs (write)", 1);
        calls.put("save-secrets: PUT servicePrincipals/{id}/synchronization/secrets (write)", 1);
        calls.put("test-connection: POST .../jobs/{jobId}/validateCredentials (write)", 1);
        calls.put("assign-access: GET servicePrincipals/{id}/appRoleAssignedTo (read)", 1);
        calls.put("assign-access: POST servicePrincipals/{id}/appRoleAssignedTo (write, one per principal)",
            principals);
        calls.put("start-provisioning: POST .../jobs/{jobId}/start (write)", 1);
        return calls;
    }
}
