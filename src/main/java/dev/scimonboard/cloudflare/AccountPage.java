package dev.scimonboard.cloudflare;

import java.util.List;

/**
 * One page of the accounts the API token can see.
 *
 * @param page the page number, from 1
 * @param accounts the accounts on it
 * @param last whether no page follows
 */
public record AccountPage(int page, List<CloudflareAccount> accounts, boolean last) {

    /** Copies the list, so that the page stays as read. */
    public AccountPage {
        accounts = List.copyOf(accounts);
    }
}
