package dev.scimonboard.cloudflare;

/**
 * An account API token as Cloudflare lists it (without its value).
 *
 * @param id the token's id
 * @param name the token's name
 * @param status such as {@code active}
 */
public record AccountToken(String id, String name, String status) {
}
