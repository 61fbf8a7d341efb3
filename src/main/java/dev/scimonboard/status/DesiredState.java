package dev.scimonboard.status;

import java.util.List;

/**
 * What the caller asked for one account: the application's name, who is assigned, whether to start provisioning.
 *
 * @param displayName the name asked for, or null for the default
 * @param groups object ids of the groups to assign, lower case, without repeats
 * @param users object ids of the users to assign, lower case, without repeats
 * @param startProvisioning whether to start the synchronization job at the end
 * @param reference the caller's reference, such as a ticket id, or null
 * @param scimTokenSecret the identifier of the Key Vault secret holding the account's SCIM token, or null to mint one
 * @param prune whether assignments of principals not asked for are removed
 * @param callbackUrl the https URL the run's outcome is POSTed to when it ends, or null for none
 */
public record DesiredState(String displayName, List<String> groups, List<String> users, boolean startProvisioning,
    String reference, String scimTokenSecret, boolean prune, String callbackUrl) {

    /** Copies the lists so that the state cannot change after it is made. */
    public DesiredState {
        groups = List.copyOf(groups);
        users = List.copyOf(users);
    }

    /** Every principal to assign: the groups, then the users. */
    public List<String> principals() {
        return java.util.stream.Stream.concat(groups.stream(), users.stream()).toList();
    }
}
