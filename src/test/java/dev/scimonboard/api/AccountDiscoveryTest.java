package dev.scimonboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.Settings;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.api.AccountDiscovery.AccountPages;
import dev.scimonboard.api.AccountDiscovery.Ending;
import dev.scimonboard.api.AccountDiscovery.Outcome;
import dev.scimonboard.cloudflare.AccountPage;
import dev.scimonboard.cloudflare.CloudflareAccount;
import dev.scimonboard.status.DesiredState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AccountDiscoveryTest {
    private static final String GROUP = "11111111-2222-3333-4444-555555555555";

    /** 120 accounts over three pages: every third is named "Team-...", the rest "Other-...". */
    private final List<CloudflareAccount> accounts = accounts(120);
    private final Map<String, DesiredState> started = new ConcurrentHashMap<>();
    private final List<Integer> requestedPages = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final List<Instant> requestTimes = new CopyOnWriteArrayList<>();

    @Test
    void withoutANamePatternDiscoveryIsOffAndAsksCloudflareNothing() {
        Outcome outcome = discovery(Map.of(), pages(accounts), Set.of()).run("run-1");

        assertEquals(Ending.OFF, outcome.ending());
        assertTrue(requestedPages.isEmpty());
        assertTrue(started.isEmpty());
    }

    @Test
    void everyPageIsReadAndOnlyMatchingAccountsWithoutAnOnboardingAreStarted() {
        List<String> matching = idsNamed("Team-");
        Set<String> known = Set.of(matching.get(0), matching.get(7));

        Outcome outcome = discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-",
            "DISCOVERY_DEFAULT_GROUPS", " " + GROUP + " "), pages(accounts), known).run("run-1");

        assertEquals(new Outcome(Ending.COMPLETE, 3, 40, 38, 2), outcome);
        assertEquals(List.of(1, 2, 3), requestedPages);
        assertEquals(38, started.size());
        assertTrue(matching.stream().filter(id -> !known.contains(id)).allMatch(started::containsKey));
        DesiredState desired = started.values().iterator().next();
        assertEquals(List.of(GROUP), desired.groups());
        assertEquals("discovery", desired.reference());
    }

    @Test
    void anAllowListNarrowsTheMatchingAccountsToTheIdsItNames() {
        List<String> matching = idsNamed("Team-");
        String other = idsNamed("Other-").get(0);

        Outcome outcome = discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-",
            "DISCOVERY_ACCOUNT_ALLOWLIST", matching.get(3) + "," + other + ", " + matching.get(39)),
            pages(accounts), Set.of()).run("run-1");

        assertEquals(2, outcome.started());
        assertEquals(Set.of(matching.get(3), matching.get(39)), started.keySet());
    }

    @Test
    void invalidDefaultGroupsDiscoverNothing() {
        Outcome outcome = discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-",
            "DISCOVERY_DEFAULT_GROUPS", GROUP + ",not-a-guid"), pages(accounts), Set.of()).run("run-1");

        assertEquals(Ending.MISCONFIGURED, outcome.ending());
        assertTrue(requestedPages.isEmpty());
        assertTrue(started.isEmpty());
    }

    @Test
    void anInvalidPatternOrAllowListDiscoversNothing() {
        Outcome badPattern = discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-("), pages(accounts),
            Set.of()).run("run-1");
        Outcome badAllowList = discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-",
            "DISCOVERY_ACCOUNT_ALLOWLIST", "ABC"), pages(accounts), Set.of()).run("run-2");

        assertEquals(Ending.MISCONFIGURED, badPattern.ending());
        assertEquals(Ending.MISCONFIGURED, badAllowList.ending());
        assertTrue(started.isEmpty());
    }

    @Test
    void cloudflaresRateLimitEndsTheRunCleanlyAfterThePagesAlreadyRead() {
        AccountPages limited = (page, perPage) -> {
            if (page == 2) {
                requestedPages.add(page);
                throw new TransientFailure("CloudflareHttp429", "Cloudflare answered 429", 429, null, null);
            }
            return pages(accounts).page(page, perPage);
        };

        Outcome outcome = discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-"), limited, Set.of())
            .run("run-1");

        assertEquals(new Outcome(Ending.STOPPED, 1, 17, 17, 0), outcome);
        assertEquals(List.of(1, 2), requestedPages);
    }

    @Test
    void pageRequestsAreAtLeastAQuarterSecondApart() {
        discovery(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-"), pages(accounts), Set.of()).run("run-1");

        assertEquals(3, requestTimes.size());
        for (int i = 1; i < requestTimes.size(); i++) {
            Duration gap = Duration.between(requestTimes.get(i - 1), requestTimes.get(i));
            assertTrue(gap.compareTo(Duration.ofMillis(250)) >= 0, "pages only " + gap + " apart");
        }
    }

    @Test
    void overlappingRunsStartEachAccountOnce() throws Exception {
        // Both runs read the first page before either starts anything, so they race over the same accounts; only one
        // start per account may win, which OnboardingsApi.start guarantees with its conditional insert.
        Map<String, Integer> starts = new ConcurrentHashMap<>();
        CountDownLatch bothLooked = new CountDownLatch(2);
        AccountDiscovery.Onboarder onboarder = (accountId, desired) ->
            starts.merge(accountId, 1, Integer::sum) == 1;
        AccountPages pages = (page, perPage) -> {
            AccountPage answer = pages(accounts).page(page, perPage);
            if (page == 1) {
                bothLooked.countDown();
                await(bothLooked);
            }
            return answer;
        };
        Settings settings = Settings.of(Map.of("DISCOVERY_ACCOUNT_NAME_PATTERN", "^Team-"));
        ExecutorService runs = Executors.newFixedThreadPool(2);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int run = 0; run < 2; run++) {
                AccountDiscovery discovery = new AccountDiscovery(settings, pages, starts::containsKey, onboarder,
                    Clock.systemUTC(), duration -> { });
                String runId = "run-" + run;
                outcomes.add(runs.submit(() -> discovery.run(runId)));
            }

            int startedByBoth = outcomes.get(0).get().started() + outcomes.get(1).get().started();
            assertEquals(40, startedByBoth);
            assertEquals(40, starts.size());
        } finally {
            runs.shutdownNow();
        }
    }

    private AccountDiscovery discovery(Map<String, String> settings, AccountPages pages, Set<String> known) {
        AccountPages recorded = (page, perPage) -> {
            requestTimes.add(clock.instant());
            return pages.page(page, perPage);
        };
        return new AccountDiscovery(Settings.of(settings), recorded, known::contains,
            (accountId, desired) -> started.putIfAbsent(accountId, desired) == null, clock, clock::advance);
    }

    private AccountPages pages(List<CloudflareAccount> all) {
        return (page, perPage) -> {
            requestedPages.add(page);
            int from = Math.min(all.size(), (page - 1) * perPage);
            int to = Math.min(all.size(), from + perPage);
            return new AccountPage(page, all.subList(from, to), to >= all.size());
        };
    }

    private List<String> idsNamed(String prefix) {
        return accounts.stream().filter(a -> a.name().startsWith(prefix)).map(CloudflareAccount::id).toList();
    }

    private static List<CloudflareAccount> accounts(int count) {
        List<CloudflareAccount> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = HexFormat.of().toHexDigits((long) i) + HexFormat.of().toHexDigits(0xabcdefL + i);
            list.add(new CloudflareAccount(id, (i % 3 == 0 ? "Team-" : "Other-") + i));
        }
        return list;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock that moves only when the discovery pauses. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-03T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
