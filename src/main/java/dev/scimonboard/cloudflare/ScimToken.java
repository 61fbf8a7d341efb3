package dev.scimonboard.cloudflare;

/**
 * A SCIM token just minted in Cloudflare. Its value is shown once, goes straight into Entra's secrets call and is
 * never written anywhere else; {@link #toString()} does not show it.
 *
 * @param id the token's id, safe to record
 * @param value the token itself, a secret
 */
public record ScimToken(String id, String value) {
    @Override
    public String toString() {
        return "ScimToken{id=" + id + ", value=***}";
    }
}
