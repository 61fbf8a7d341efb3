package dev.scimonboard.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimonboard.pipeline.Queues;
import dev.scimonboard.status.StatusStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment and the code agree: every app setting, binding connection, queue and table that the code uses is
 * declared in {@code infra/} and (settings) in {@code local.settings.sample.json}, and neither declares anything
 * the code does not use. What the code uses is derived from the code itself ({@link CodeInventory} says how); what
 * infra declares is read from the Bicep text ({@link InfraInventory}). A failure lists every name that is missing,
 * or extra, and where.
 */
class DeploymentConsistencyTest {
    /**
     * Settings that belong to the platform, not to the app: the code may read them but nobody declares them, or the
     * platform reads them and the app never does. Each with the reason it is exempt.
     */
    static final Map<String, String> PLATFORM_SETTINGS = Map.of(
        "IDENTITY_ENDPOINT", "set by App Service / Functions where a managed identity exists; azure-identity and "
            + "GraphAccess read it",
        "IDENTITY_HEADER", "set by the platform beside IDENTITY_ENDPOINT",
        "MSI_ENDPOINT", "the older platforms' managed identity endpoint, which GraphAccess also looks for",
        "FUNCTIONS_WORKER_RUNTIME", "read by the Functions host; local only, since Flex Consumption takes the "
            + "language from functionAppConfig.runtime and refuses the setting",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "read by the Functions host to send telemetry",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "read by the Functions host: Entra-authenticated telemetry "
            + "as the user-assigned identity");

    /**
     * The identity-based settings of a connection, by suffix ({@code <connection>__<suffix>}), with the reason the
     * deployment needs each. The host's storage ({@value CodeInventory#DEFAULT_CONNECTION}) needs all of them on
     * Flex Consumption with a user-assigned identity: blob for the host's leases and keys, queue for the triggers and
     * the app's queue clients, table for the app's status table client (built from the same settings in Services).
     */
    static final Map<String, String> IDENTITY_CONNECTION_SUFFIXES = Map.of(
        "credential", "managedidentity: authenticate with a managed identity rather than a key",
        "clientId", "which user-assigned identity to use (without it the host looks for a system-assigned one)",
        "blobServiceUri", "the host keeps its leases and function keys in blob storage",
        "queueServiceUri", "the queue triggers and the app's queue clients",
        "tableServiceUri", "the status table, through the same connection settings");

    private static final String LOCAL_SAMPLE = "local.settings.sample.json";

    private static CodeInventory code;
    private static InfraInventory infra;
    private static Set<String> localSample;

    @BeforeAll
    static void readBothSides() throws IOException {
        code = CodeInventory.ofThisProject();
        infra = InfraInventory.ofThisProject();
        JsonNode values = new ObjectMapper().readTree(Path.of(LOCAL_SAMPLE).toFile()).path("Values");
        localSample = new TreeSet<>();
        for (Iterator<String> names = values.fieldNames(); names.hasNext(); ) {
            localSample.add(names.next());
        }
    }

    @Test
    void theCodeInventoryFindsTheFunctionsTheirBindingsAndTheSettingsClass() {
        assertFalse(code.functions().isEmpty(), "no @FunctionName method found under src/main/java");
        assertFalse(code.triggeredQueues().isEmpty(), "no queue trigger found: " + code.functions());
        assertFalse(code.connections().isEmpty(), "no binding connection found: " + code.functions());
        assertTrue(code.settings().containsKey("GRAPH_BASE_URL"),
            "the scan of Settings.java found no GRAPH_BASE_URL: " + code.settings().keySet());
        assertTrue(code.tables().containsKey(StatusStore.TABLE_NAME),
            "the status table was not found: " + code.tables().keySet());
    }

    @Test
    void everySettingTheCodeReadsIsAnAppSettingInInfraAndInTheLocalSample() {
        List<String> missing = new ArrayList<>();
        code.settings().forEach((name, where) -> {
            if (PLATFORM_SETTINGS.containsKey(name) || code.connections().containsKey(name)) {
                return; // connections are checked, identity-based, by their own test
            }
            if (!infra.appSettings().containsKey(name)) {
                missing.add(InfraInventory.FUNCTION_APP + " has no app setting " + name + " (read by "
                    + String.join(", ", where) + ")");
            }
            if (!localSample.contains(name)) {
                missing.add(LOCAL_SAMPLE + " has no " + name + " (read by " + String.join(", ", where) + ")");
            }
        });
        assertNone("app settings the code reads are missing", missing);
    }

    @Test
    void everyBindingConnectionIsIdentityBasedInInfraAndSetInTheLocalSample() {
        List<String> problems = new ArrayList<>();
        code.connections().forEach((connection, kinds) -> {
            for (String suffix : requiredSuffixes(connection, kinds)) {
                String name = connection + "__" + suffix;
                if (!infra.appSettings().containsKey(name)) {
                    problems.add(InfraInventory.FUNCTION_APP + " has no app setting " + name + " ("
                        + IDENTITY_CONNECTION_SUFFIXES.get(suffix) + ")");
                }
            }
            String credential = infra.appSettings().get(connection + "__credential");
            if (credential != null && !credential.equalsIgnoreCase("'managedidentity'")) {
                problems.add(InfraInventory.FUNCTION_APP + " sets " + connection + "__credential to " + credential
                    + ", not 'managedidentity'");
            }
            if (infra.appSettings().containsKey(connection)) {
                problems.add(InfraInventory.FUNCTION_APP + " sets " + connection + " itself: a connection string "
                    + "needs the account key, which the storage account refuses; use the identity-based settings");
            }
            if (!localSample.contains(connection) && !localSample.contains(connection + "__queueServiceUri")) {
                problems.add(LOCAL_SAMPLE + " has neither " + connection + " (a connection string) nor "
                    + connection + "__queueServiceUri (used by the " + String.join(", ", kinds) + " bindings)");
            }
        });
        assertNone("binding connections are not configured", problems);
    }

    @Test
    void everyQueueAndTableTheCodeUsesIsCreatedByTheStorageModule() {
        List<String> missing = new ArrayList<>();
        code.queues().forEach((queue, why) -> {
            if (!infra.queues().contains(queue)) {
                missing.add(InfraInventory.STORAGE + " does not create queue " + queue + " (" + String.join("; ", why)
                    + ")");
            }
        });
        code.tables().forEach((table, why) -> {
            if (!infra.tables().contains(table)) {
                missing.add(InfraInventory.STORAGE + " does not create table " + table + " (" + String.join("; ", why)
                    + ")");
            }
        });
        assertNone("queues or tables the code uses are missing (the identity's queue roles are per queue, so a "
            + "queue the host would create on the fly, such as a poison queue, must exist beforehand)", missing);
    }

    @Test
    void infraAndTheLocalSampleDeclareNothingTheCodeDoesNotUse() {
        List<String> extra = new ArrayList<>();
        for (String name : infra.appSettings().keySet()) {
            if (!isUsedSetting(name)) {
                extra.add(InfraInventory.FUNCTION_APP + " sets " + name + ", which the code does not read");
            }
        }
        for (String name : localSample) {
            if (!isUsedSetting(name)) {
                extra.add(LOCAL_SAMPLE + " sets " + name + ", which the code does not read");
            }
        }
        for (String queue : infra.queues()) {
            if (!code.queues().containsKey(queue)) {
                extra.add(InfraInventory.STORAGE + " creates queue " + queue + ", which the code does not use");
            }
        }
        for (String table : infra.tables()) {
            if (!code.tables().containsKey(table)) {
                extra.add(InfraInventory.STORAGE + " creates table " + table + ", which the code does not use");
            }
        }
        for (String file : InfraInventory.otherFilesDeclaringAppSettings()) {
            extra.add(file + " declares app settings; keep them all in " + InfraInventory.FUNCTION_APP
                + " so that they are checked");
        }
        assertNone("infra or the local sample declare what the code does not use (a platform setting belongs in "
            + "PLATFORM_SETTINGS)", extra);
    }

    @Test
    void eventGridDeliversToTheQueueThatTheIntakeFunctionReads() {
        assertTrue(code.triggeredQueues().contains(Queues.ONBOARDING_EVENTS),
            "no function is triggered by " + Queues.ONBOARDING_EVENTS + ": " + code.triggeredQueues());
        assertEquals(Queues.ONBOARDING_EVENTS, infra.intakeQueue().orElse("(no `output intakeQueueName string = "
            + "'...'` in " + InfraInventory.STORAGE + ")"), "the queue Event Grid delivers to (main.bicep passes "
            + "the storage module's intakeQueueName output to modules/eventgrid.bicep)");
    }

    /** Whether a declared setting is one the code reads, a connection's setting or a platform one. */
    private static boolean isUsedSetting(String name) {
        if (code.settings().containsKey(name) || PLATFORM_SETTINGS.containsKey(name)
            || code.connections().containsKey(name)) {
            return true;
        }
        int separator = name.indexOf("__");
        return separator > 0 && code.connections().containsKey(name.substring(0, separator))
            && (IDENTITY_CONNECTION_SUFFIXES.containsKey(name.substring(separator + 2))
                || name.endsWith("__accountName"));
    }

    /** The identity-based settings a connection needs: all of them for the host's storage, else its services. */
    private static SortedSet<String> requiredSuffixes(String connection, Set<String> kinds) {
        SortedSet<String> suffixes = new TreeSet<>(List.of("credential", "clientId"));
        if (connection.equals(CodeInventory.DEFAULT_CONNECTION)) {
            suffixes.addAll(IDENTITY_CONNECTION_SUFFIXES.keySet());
        }
        for (String kind : kinds) {
            if (IDENTITY_CONNECTION_SUFFIXES.containsKey(kind + "ServiceUri")) {
                suffixes.add(kind + "ServiceUri");
            }
        }
        return suffixes;
    }

    private static void assertNone(String summary, List<String> problems) {
        assertTrue(problems.isEmpty(), () -> summary + ":\n  " + String.join("\n  ", problems) + "\n");
    }
}
