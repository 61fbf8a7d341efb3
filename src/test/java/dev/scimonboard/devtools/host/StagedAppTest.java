package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagedAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hostDefaultsApplyWhenHostJsonSaysNothing() {
        StagingFolder folder = StagingFolder.create("{\"version\":\"2.0\"}")
            .queue("record", "record", "work");

        StagedApp app = StagedApp.load(folder.directory(), name -> null);

        assertEquals("api", app.routePrefix());
        assertEquals(new QueueOptions(16, 8, Duration.ofMinutes(1), Duration.ZERO, 5, true), app.queueOptions());
    }

    @Test
    void queueSettingsAreReadFromHostJsonWithoutRegardToCase() {
        StagingFolder folder = StagingFolder.create("""
            {"version":"2.0","extensions":{"http":{"routePrefix":"/v1/"},"queues":{"BatchSize":4,
             "maxPollingInterval":"00:00:02","visibilityTimeout":"00:00:10.500","maxDequeueCount":3,
             "messageEncoding":"none"}}}""")
            .queue("record", "record", "work");

        StagedApp app = StagedApp.load(folder.directory(), name -> null);

        assertEquals("v1", app.routePrefix());
        assertEquals(new QueueOptions(4, 2, Duration.ofSeconds(2), Duration.ofMillis(10_500), 3, false),
            app.queueOptions());
    }

    @Test
    void functionJsonAsThePluginWritesItIsRead() {
        StagingFolder folder = StagingFolder.create("{}")
            .http("echo", "echo", "FUNCTION", "/items/{id}/", "get", "PUT");

        FunctionDefinition echo = StagedApp.load(folder.directory(), name -> null).functions().get(0);

        assertEquals("echo", echo.name());
        assertEquals(FixtureFunctions.class.getName(), echo.className());
        assertEquals("echo", echo.methodName());
        assertEquals(new TriggerSpec.Http("req", "function", Set.of("GET", "PUT"), "items/{id}"), echo.trigger());
    }

    @Test
    void routeDefaultsToTheFunctionName() {
        StagingFolder folder = StagingFolder.create("{}").http("search", "search", "ANONYMOUS", null);

        TriggerSpec.Http trigger = (TriggerSpec.Http) StagedApp.load(folder.directory(), name -> null)
            .functions().get(0).trigger();

        assertEquals("search", trigger.route());
        assertFalse(trigger.needsKey());
    }

    @Test
    void queueNameExpressionsAreResolvedFromSettings() {
        StagingFolder folder = StagingFolder.create("{}").queue("record", "record", "%WORK_QUEUE%");

        TriggerSpec.Queue trigger = (TriggerSpec.Queue) StagedApp.load(folder.directory(),
            Map.of("WORK_QUEUE", "Create-App")::get).functions().get(0).trigger();

        assertEquals("create-app", trigger.queueName());
        assertEquals("AzureWebJobsStorage", trigger.connection());
    }

    @Test
    void anUnsupportedBindingTypeRefusesTheAppNamingTheType() {
        StagingFolder folder = StagingFolder.create("{}").function("record", "record",
            JSON.createObjectNode().put("type", "queueTrigger").put("name", "message").put("queueName", "q"),
            JSON.createObjectNode().put("type", "blob").put("direction", "in").put("name", "input"));

        AppDefinitionException refused = assertThrows(AppDefinitionException.class,
            () -> StagedApp.load(folder.directory(), name -> null));

        assertTrue(refused.getMessage().contains("'blob'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("record"), refused.getMessage());
    }

    @Test
    void aMissingStagingFolderSaysHowToBuildIt() {
        AppDefinitionException refused = assertThrows(AppDefinitionException.class,
            () -> StagedApp.load(StagingFolder.create("{}").directory().resolve("absent"), name -> null));

        assertTrue(refused.getMessage().contains("mvn package"), refused.getMessage());
    }

    @Test
    void timeSpansAndMillisecondsAreDurations() {
        assertEquals(Duration.ofSeconds(30), StagedApp.parseDuration("00:00:30"));
        assertEquals(Duration.ofDays(1).plusHours(2), StagedApp.parseDuration("1.02:00:00"));
        assertEquals(Duration.ofMillis(250), StagedApp.parseDuration("00:00:00.25"));
        assertEquals(Duration.ofMillis(2000), StagedApp.parseDuration("2000"));
        assertThrows(AppDefinitionException.class, () -> StagedApp.parseDuration("soon"));
    }
}
