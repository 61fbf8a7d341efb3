package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.host.LocalHostProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Account discovery end to end: extra local hosts run the DiscoverAccounts timer every two seconds against the
 * emulated Cloudflare, which lists the accounts 50 to a page. The shared host has no discovery settings and never
 * discovers anything, so each test's name pattern, unique to it, decides what is onboarded.
 */
class AccountDiscoveryIT {
    private static final TestPipeline PIPELINE = TestPipeline.shared();
    private static final String EVERY_TWO_SECONDS = "*/2 * * * * *";
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern RUN_LINE = Pattern.compile(
        "^(\\S+) .*account discovery run (started|finished) runId=(\\S+)(.*)$", Pattern.MULTILINE);
    private static final Pattern STARTED_COUNT = Pattern.compile(" started=(\\d+)");

    @Test
    void overlappingRunsOnTwoHostsOnboardEachMatchingAccountOnceAndLeaveTheOthersAlone() {
        String prefix = "Discovery-" + random() + "-";
        String group = PIPELINE.newGroup();
        Map<String, String> discovery = Map.of("DISCOVERY_SCHEDULE", EVERY_TWO_SECONDS,
            "DISCOVERY_ACCOUNT_NAME_PATTERN", "^" + prefix, "DISCOVERY_DEFAULT_GROUPS", group);
        // Both hosts tick on the same even seconds, so their runs overlap from the first tick after seeding.
        CompletableFuture<LocalHostProcess> first = CompletableFuture.supplyAsync(
            () -> PIPELINE.startExtraHost(discovery));
        CompletableFuture<LocalHostProcess> second = CompletableFuture.supplyAsync(
            () -> PIPELINE.startExtraHost(discovery));
        try (LocalHostProcess one = first.join(); LocalHostProcess two = second.join()) {
            List<String> matching = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String id = newAccountId();
                boolean matches = i % 3 == 0;
                PIPELINE.tenant.addCloudflareAccount(id, (matches ? prefix : "Elsewhere-" + random() + "-") + i);
                (matches ? matching : others).add(id);
            }

            for (String accountId : matching) {
                awaitSucceeded(accountId);
            }
            awaitCompleteRunAfterSeeding(one);

            for (String accountId : matching) {
                JsonNode status = PIPELINE.status(accountId);
                assertEquals("discovery", status.path("reference").asText(), status.toString());
                assertEquals(List.of(group), texts(status.path("desired").path("groups")), status.toString());
                assertEquals(1, PIPELINE.tenant.applicationsByDisplayName(
                    status.path("applicationDisplayName").asText()).size(), "applications of " + accountId);
                assertEquals(1, history(status, "request"), "onboarding requests of " + accountId);
            }
            for (String accountId : others) {
                assertEquals(404, PIPELINE.get("/onboardings/" + accountId).statusCode(), accountId);
            }

            List<Run> runsOfOne = runs(one.logText());
            List<Run> runsOfTwo = runs(two.logText());
            assertTrue(runsOfOne.stream().anyMatch(a -> runsOfTwo.stream().anyMatch(a::overlaps)),
                "no run of one host overlapped a run of the other: " + runsOfOne + " / " + runsOfTwo);
            int startedByBoth = runsOfOne.stream().mapToInt(Run::started).sum()
                + runsOfTwo.stream().mapToInt(Run::started).sum();
            assertEquals(matching.size(), startedByBoth, "onboardings started by the two hosts together");
        }
    }

    @Test
    void anAllowListLimitsDiscoveryToTheAccountsItNames() {
        String prefix = "Discovery-" + random() + "-";
        List<String> matching = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = newAccountId();
            PIPELINE.tenant.addCloudflareAccount(id, prefix + i);
            matching.add(id);
        }
        List<String> allowed = List.of(matching.get(1), matching.get(4));
        Map<String, String> discovery = Map.of("DISCOVERY_SCHEDULE", EVERY_TWO_SECONDS,
            "DISCOVERY_ACCOUNT_NAME_PATTERN", "^" + prefix, "DISCOVERY_ACCOUNT_ALLOWLIST", String.join(",", allowed));
        try (LocalHostProcess host = PIPELINE.startExtraHost(discovery)) {
            for (String accountId : allowed) {
                awaitSucceeded(accountId);
            }
            awaitCompleteRunAfterSeeding(host);

            for (String accountId : matching) {
                int expected = allowed.contains(accountId) ? 200 : 404;
                assertEquals(expected, PIPELINE.get("/onboardings/" + accountId).statusCode(), accountId);
            }
        }
    }

    @Test
    void theSharedHostWithoutDiscoverySettingsNeverRunsDiscovery() {
        String log = PIPELINE.hostLog();

        assertFalse(log.contains("account discovery run started"), "the shared host ran discovery");
        assertTrue(log.contains("DiscoverAccounts") && log.contains("DISCOVERY_SCHEDULE"),
            "the shared host did not report DiscoverAccounts as unable to run");
    }

    private static void awaitSucceeded(String accountId) {
        JsonNode[] last = new JsonNode[1];
        TestPipeline.await("discovery to onboard " + accountId, DISCOVERY_TIMEOUT, () -> {
            var response = PIPELINE.get("/onboardings/" + accountId);
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = TestPipeline.read(response.body());
            String state = last[0].path("state").asText();
            if ("failed".equals(state)) {
                throw new AssertionError("onboarding of " + accountId + " failed: " + last[0]);
            }
            return "succeeded".equals(state);
        });
    }

    /** Waits for a run that began after every account was seeded to read all pages, so absence means left alone. */
    private static void awaitCompleteRunAfterSeeding(LocalHostProcess host) {
        Instant seeded = Instant.now();
        TestPipeline.await("a complete discovery run after seeding", Duration.ofSeconds(30),
            () -> runs(host.logText()).stream().anyMatch(run -> run.start().isAfter(seeded) && run.complete()));
    }

    private static int history(JsonNode status, String step) {
        int count = 0;
        for (JsonNode entry : status.path("history")) {
            if (step.equals(entry.path("step").asText())) {
                count++;
            }
        }
        return count;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** The finished discovery runs in a host's log, from their start and finish lines. */
    private static List<Run> runs(String log) {
        Map<String, Instant> starts = new HashMap<>();
        List<Run> runs = new ArrayList<>();
        Matcher line = RUN_LINE.matcher(log);
        while (line.find()) {
            Instant at = Instant.parse(line.group(1));
            if ("started".equals(line.group(2))) {
                starts.put(line.group(3), at);
            } else if (starts.containsKey(line.group(3))) {
                Matcher started = STARTED_COUNT.matcher(line.group(4));
                runs.add(new Run(starts.get(line.group(3)), at, started.find() ? Integer.parseInt(started.group(1)) : 0,
                    line.group(4).contains("ending=complete")));
            }
        }
        return runs;
    }

    /** One discovery run as its host logged it. */
    private record Run(Instant start, Instant end, int started, boolean complete) {
        boolean overlaps(Run other) {
            return start.isBefore(other.end) && other.start.isBefore(end);
        }
    }

    private static String newAccountId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }
}
