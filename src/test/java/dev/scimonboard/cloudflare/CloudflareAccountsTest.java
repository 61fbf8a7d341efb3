package dev.scimonboard.cloudflare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.Settings;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.api.AccountDiscovery;
import dev.scimonboard.api.AccountDiscovery.Ending;
import dev.scimonboard.api.AccountDiscovery.Outcome;
import dev.scimonboard.devtools.tenant.EmulatedTenant;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing accounts page by page against the emulated Cloudflare, and discovery over it. */
class CloudflareAccountsTest {
    private EmulatedTenant tenant;
    private CloudflareClient client;

    @BeforeEach
    void start() throws IOException {
        tenant = new EmulatedTenant("test-identity-header", 11L);
        tenant.seed();
        tenant.start(0);
        client = new CloudflareClient(URI.create(tenant.cloudflareBaseUrl()), tenant::cloudflareApiToken,
            Optional.empty());
        // The four seeded accounts and 96 more: two full pages of 50.
        for (int i = 0; i < 96; i++) {
            tenant.addCloudflareAccount(null, (i % 2 == 0 ? "Team-" : "Other-") + i);
        }
    }

    @AfterEach
    void stop() {
        tenant.stop();
    }

    @Test
    void accountsArePagedAndTheLastPageSaysSo() {
        AccountPage first = client.accounts(1, 50);
        AccountPage second = client.accounts(2, 50);

        assertEquals(50, first.accounts().size());
        assertFalse(first.last());
        assertEquals(50, second.accounts().size());
        assertTrue(second.last());
        Set<String> ids = new HashSet<>();
        first.accounts().forEach(account -> ids.add(account.id()));
        second.accounts().forEach(account -> ids.add(account.id()));
        assertEquals(100, ids.size());
    }

    @Test
    void aRateLimitedPageIsATransientFailureWithStatus429() {
        tenant.faults().cloudflareRateLimit(1, Duration.ofMinutes(5));
        client.accounts(1, 50);

        TransientFailure refused = assertThrows(TransientFailure.class, () -> client.accounts(2, 50));

        assertEquals(429, refused.httpStatus());
    }

    @Test
    void aRunCutShortByTheRateLimitLeavesTheRestToTheNextRun() {
        Set<String> onboarded = new HashSet<>();
        AccountDiscovery discovery = new AccountDiscovery(
            Settings.of(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-")), client::accounts, onboarded::contains,
            (accountId, desired) -> onboarded.add(accountId), Clock.systemUTC(), duration -> { });
        tenant.faults().cloudflareRateLimit(1, Duration.ofMinutes(5));

        Outcome cut = discovery.run("run-1");
        tenant.faults().cloudflareRateLimit(0, Duration.ofMinutes(5));
        Outcome next = discovery.run("run-2");

        assertEquals(Ending.STOPPED, cut.ending());
        assertEquals(1, cut.pages());
        assertEquals(Ending.COMPLETE, next.ending());
        assertEquals(48, cut.started() + next.started());
        assertEquals(cut.started(), next.existing());
        assertEquals(48, onboarded.size());
    }
}
