package dev.scimonboard.devtools.tenant;

/**
 * A token minted by the emulated Cloudflare, without its value.
 *
 * @param id the token id
 * @param accountId the account that owns it
 * @param name the name given at minting
 * @param live whether it authenticates now (not deleted, not expired)
 * @param deleted whether it was deleted through the API
 * @param scimPermission whether a policy allows the SCIM Provisioning permission group
 */
public record CloudflareTokenSnapshot(String id, String accountId, String name, boolean live, boolean deleted,
        boolean scimPermission) {
}
