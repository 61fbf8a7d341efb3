package dev.scimonboard.steps;

import dev.scimonboard.cloudflare.AccountToken;
import dev.scimonboard.cloudflare.CloudflareClient;
import dev.scimonboard.graph.EntraClient;
import dev.scimonboard.graph.EntraModels.Assignment;
import dev.scimonboard.graph.EntraModels.ServicePrincipal;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import dev.scimonboard.status.DesiredState;
import dev.scimonboard.status.Onboarding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says what a PUT or a DELETE would change in Entra and Cloudflare, by reading what is there and walking the steps'
 * decisions, without writing anything. The answer of {@code ?dryRun=true}.
 */
public final class Planner {
    private final EntraClient entra;
    private final CloudflareClient cloudflare;
    private final SaveSecrets secrets;

    /**
     * Creates the planner.
     *
     * @param entra the Entra client, used for reads only
     * @param cloudflare the Cloudflare client, used for reads only
     * @param secrets the save-secrets step, which tests whether the saved token still works (a test changes nothing)
     */
    public Planner(EntraClient entra, CloudflareClient cloudflare, SaveSecrets secrets) {
        this.entra = entra;
        this.cloudflare = cloudflare;
        this.secrets = secrets;
    }

    /**
     * One change a run would make.
     *
     * @param service {@code graph} or {@code cloudflare}
     * @param action what would be done: {@code create}, {@code update}, {@code start}, {@code pause}, {@code delete}
     * @param target what it would be done to
     * @param detail why, for a person
     */
    public record Change(String service, String action, String target, String detail) {
    }

    /**
     * The changes a PUT with this desired state would make.
     *
     * @param accountId the account
     * @param existing the account's onboarding, when there is one
     * @param desired the desired state of the request
     * @return the changes, in the order the steps would make them
     */
    public List<Change> onboarding(String accountId, Optional<Onboarding> existing, DesiredState desired) {
        List<Change> changes = new ArrayList<>();
        Optional<ServicePrincipal> servicePrincipal = findServicePrincipal(accountId, existing, desired);
        String name = existing.map(Onboarding::applicationDisplayName)
            .orElse(ApplicationNames.forAccount(accountId, desired.displayName()));
        if (servicePrincipal.isEmpty()) {
            changes.add(new Change("graph", "create", "application '" + name + "'",
                "instantiate the non-gallery application template; Entra makes its service principal"));
            changes.add(new Change("graph", "create", "synchronization job", "the SCIM job of the new application"));
        }
        List<SynchronizationJob> jobs = servicePrincipal.map(sp -> entra.jobs(sp.id())).orElse(List.of());
        if (servicePrincipal.isPresent() && jobs.isEmpty()) {
            changes.add(new Change("graph", "create", "synchronization job",
                "service principal " + servicePrincipal.get().id() + " has none"));
        }

        List<AccountToken> projectTokens = projectTokens(accountId);
        boolean keepToken = desired.scimTokenSecret() == null && existing.isPresent() && !jobs.isEmpty()
            && secrets.savedTokenWorks(existing.get().toBuilder().jobId(jobs.get(0).id()).build());
        if (!keepToken) {
            if (desired.scimTokenSecret() == null) {
                changes.add(new Change("cloudflare", "create", "SCIM token", "minted for account " + accountId
                    + " with the SCIM Provisioning permission"));
            }
            changes.add(new Change("graph", "update", "synchronization secrets", "BaseAddress and SecretToken (from "
                + (desired.scimTokenSecret() == null ? "the new token" : "Key Vault secret "
                    + desired.scimTokenSecret()) + "), SyncAll and SyncNotificationSettings"));
            for (AccountToken token : projectTokens) {
                changes.add(new Change("cloudflare", "delete", "token " + token.id(), "replaced by the token saved"));
            }
        }

        List<Assignment> assignments = servicePrincipal.map(sp -> entra.assignments(sp.id())).orElse(List.of());
        Set<String> assigned = assignments.stream().map(Assignment::principalId).collect(Collectors.toSet());
        for (String principal : desired.principals()) {
            if (!assigned.contains(principal)) {
                changes.add(new Change("graph", "create", "app role assignment of " + principal,
                    "role User on the application"));
            }
        }
        if (desired.prune()) {
            Set<String> wanted = Set.copyOf(desired.principals());
            for (Assignment assignment : assignments) {
                if (!wanted.contains(assignment.principalId())) {
                    changes.add(new Change("graph", "delete", "app role assignment of " + assignment.principalId(),
                        "not asked for, and the request says prune"));
                }
            }
        }
        boolean running = jobs.stream().anyMatch(SynchronizationJob::active);
        if (desired.startProvisioning() && !running) {
            changes.add(new Change("graph", "start", "synchronization job", "provisioning was asked for"));
        }
        return changes;
    }

    /**
     * The changes a DELETE would make.
     *
     * @param onboarding the account's onboarding
     * @return the changes, in the order the removal steps would make them
     */
    public List<Change> offboarding(Onboarding onboarding) {
        List<Change> changes = new ArrayList<>();
        Optional<ServicePrincipal> servicePrincipal = Optional.ofNullable(onboarding.servicePrincipalId())
            .flatMap(entra::servicePrincipal)
            .or(() -> named(onboarding.applicationDisplayName()));
        if (servicePrincipal.isPresent()) {
            String id = servicePrincipal.get().id();
            for (SynchronizationJob job : entra.jobs(id)) {
                changes.add(new Change("graph", "pause", "synchronization job " + job.id(), "no cycle runs while "
                    + "the account is removed"));
                changes.add(new Change("graph", "delete", "synchronization job " + job.id(), "offboarding"));
            }
            changes.add(new Change("graph", "delete", "service principal " + id, "offboarding"));
            Optional<String> application = Optional.ofNullable(onboarding.applicationId())
                .or(() -> entra.applicationObjectId(servicePrincipal.get().appId()));
            application.ifPresent(app -> changes.add(new Change("graph", "delete", "application " + app,
                "restorable from Entra's deleted items for 30 days")));
        }
        for (AccountToken token : projectTokens(onboarding.accountId())) {
            changes.add(new Change("cloudflare", "delete", "token " + token.id(), "minted for the account by this "
                + "service"));
        }
        return changes;
    }

    private Optional<ServicePrincipal> findServicePrincipal(String accountId, Optional<Onboarding> existing,
        DesiredState desired) {
        Optional<ServicePrincipal> recorded = existing.map(Onboarding::servicePrincipalId)
            .flatMap(entra::servicePrincipal);
        if (recorded.isPresent()) {
            return recorded;
        }
        String name = existing.map(Onboarding::applicationDisplayName)
            .orElse(ApplicationNames.forAccount(accountId, desired.displayName()));
        return named(name);
    }

    private Optional<ServicePrincipal> named(String displayName) {
        if (displayName == null) {
            return Optional.empty();
        }
        return entra.servicePrincipalsNamed(displayName).stream().min(Comparator.comparing(ServicePrincipal::id));
    }

    private List<AccountToken> projectTokens(String accountId) {
        return cloudflare.tokens(accountId).stream()
            .filter(token -> token.name().startsWith(SaveSecrets.TOKEN_NAME_PREFIX))
            .toList();
    }
}
