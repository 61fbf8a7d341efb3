package dev.scimonboard.cloudflare;

/**
 * A Cloudflare account as {@code GET /accounts} lists it.
 *
 * @param id the account id, 32 lower-case hexadecimal characters
 * @param name the account's name
 */
public record CloudflareAccount(String id, String name) {
}
