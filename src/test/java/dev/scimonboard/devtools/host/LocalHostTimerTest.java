package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LocalHostTimerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST_JSON = "{\"version\":\"2.0\"}";

    @Test
    void aTimerFunctionRunsOnItsScheduleAndGetsTheTimerInfoAsJsonText() throws IOException {
        String name = unique("tick");
        StagingFolder folder = StagingFolder.create(HOST_JSON).timer(name, "tick", "*/1 * * * * *", false);
        try (LocalHost host = LocalHost.start(folder.directory(), 0, Map.of())) {
            await(() -> ticksOf(name).size() >= 2, "two invocations of " + name);
        }

        List<FixtureFunctions.Tick> ticks = ticksOf(name);
        JsonNode info = JSON.readTree(ticks.get(1).timerInfo());
        assertFalse(info.path("IsPastDue").asBoolean(true));
        assertTrue(info.path("Schedule").isObject(), info.toString());
        Instant next = OffsetDateTime.parse(info.path("ScheduleStatus").path("Next").asText()).toInstant();
        assertTrue(next.isAfter(ticks.get(1).at().minusMillis(50)), info.toString());
        Duration gap = Duration.between(ticks.get(0).at(), ticks.get(1).at());
        assertTrue(gap.compareTo(Duration.ofMillis(800)) >= 0, "fired again after only " + gap);
    }

    @Test
    void theScheduleMayComeFromAnAppSetting() throws IOException {
        String name = unique("tick");
        StagingFolder folder = StagingFolder.create(HOST_JSON).timer(name, "tick", "%TICK_SCHEDULE%", false);
        try (LocalHost host = LocalHost.start(folder.directory(), 0, Map.of("TICK_SCHEDULE", "*/1 * * * * *"))) {
            assertTrue(host.summary().contains("  " + name + ": timer */1 * * * * *"), host.summary().toString());
            await(() -> !ticksOf(name).isEmpty(), "an invocation of " + name);
        }
    }

    @Test
    void runOnStartupRunsTheFunctionOnceWhenTheHostStarts() throws IOException {
        String name = unique("tick");
        // Once a year, at New Year: only runOnStartup can make it run during the test.
        StagingFolder folder = StagingFolder.create(HOST_JSON).timer(name, "tick", "0 0 0 1 1 *", true);
        try (LocalHost host = LocalHost.start(folder.directory(), 0, Map.of())) {
            await(() -> !ticksOf(name).isEmpty(), "the startup invocation of " + name);
        }

        assertEquals(1, ticksOf(name).size());
    }

    @Test
    void aScheduleNamingAnUnsetSettingLeavesOnlyThatFunctionInError() throws IOException {
        String name = unique("tick");
        String other = unique("tick");
        StagingFolder folder = StagingFolder.create(HOST_JSON)
            .timer(name, "tick", "%UNSET_SCHEDULE_" + name.replace('-', '_') + "%", true)
            .timer(other, "tick", "*/1 * * * * *", true);
        try (LocalHost host = LocalHost.start(folder.directory(), 0, Map.of())) {
            await(() -> !ticksOf(other).isEmpty(), "the other function to run");

            String summary = String.join("\n", host.summary());
            assertTrue(summary.contains(name + ": in error") && summary.contains("is not set"), summary);
        }
        assertTrue(ticksOf(name).isEmpty(), "the function in error ran");
    }

    @Test
    void anInvalidScheduleIsRefusedAtStart() {
        StagingFolder folder = StagingFolder.create(HOST_JSON).timer(unique("tick"), "tick", "*/1 * * *", false);

        AppDefinitionException refused = assertThrows(AppDefinitionException.class,
            () -> LocalHost.start(folder.directory(), 0, Map.of()));
        assertTrue(refused.getMessage().contains("six fields"), refused.getMessage());
    }

    @Test
    void anInvocationThatOutlastsItsIntervalIsNotJoinedByTheNext() throws IOException {
        String name = unique("slow-tick");
        FixtureFunctions.SLOW_TICKS_PEAK.set(0);
        StagingFolder folder = StagingFolder.create(HOST_JSON).timer(name, "slowTick", "*/1 * * * * *", false);
        try (LocalHost host = LocalHost.start(folder.directory(), 0, Map.of())) {
            await(() -> ticksOf(name).size() >= 3, "three invocations of " + name);
        }

        assertEquals(1, FixtureFunctions.SLOW_TICKS_PEAK.get());
        List<FixtureFunctions.Tick> ticks = ticksOf(name);
        for (int i = 1; i < ticks.size(); i++) {
            Duration gap = Duration.between(ticks.get(i - 1).at(), ticks.get(i).at());
            assertTrue(gap.compareTo(Duration.ofMillis(1_500)) >= 0, "started again after only " + gap);
        }
    }

    private static List<FixtureFunctions.Tick> ticksOf(String function) {
        return FixtureFunctions.TICKS.stream().filter(tick -> tick.function().equals(function)).toList();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
