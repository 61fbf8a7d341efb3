package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs last (the classes run in alphabetical order): onboards more accounts, then scans every queue message
 * (poison queues too), every status entity, every line the functions logged and the test reports written so far
 * (the unit tests' and every earlier end-to-end class's), over the whole suite, for every SCIM token the emulated
 * Cloudflare minted. None may appear.
 */
class SecretLeakScanIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void noMintedTokenAppearsInQueuesStatusEntitiesLogsOrReports() throws IOException {
        List<String> accounts = List.of(pipeline.newAccount(), pipeline.newAccount());
        accounts.forEach(a -> pipeline.put(a, "{\"groups\":[\"" + pipeline.newGroup() + "\"]}"));
        accounts.forEach(a -> assertEquals("succeeded", pipeline.awaitEnded(a).path("state").asText()));

        List<String> tokens = pipeline.tenant.mintedTokenValues();
        List<String> places = new ArrayList<>();
        places.addAll(pipeline.queuedMessageTexts());
        for (TableEntity entity : pipeline.statusTable().listEntities()) {
            places.add("entity " + entity.getPartitionKey() + ": " + entity.getProperties());
        }
        String log = pipeline.hostLog();
        for (String reports : List.of("target/surefire-reports", "target/failsafe-reports")) {
            if (Files.isDirectory(Path.of(reports))) {
                try (Stream<Path> files = Files.walk(Path.of(reports))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        places.add("report " + file.getFileName() + ": " + Files.readString(file,
                            StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }

        assertTrue(tokens.size() >= accounts.size(), "the scan has tokens to look for");
        assertFalse(log.isEmpty());
        for (String token : tokens) {
            assertFalse(log.contains(token), "a minted token is in the host's log");
            for (String place : places) {
                assertFalse(place.contains(token), "a minted token is in " + place.split(":")[0]);
            }
        }
        assertFalse(log.contains(pipeline.tenant.cloudflareApiToken()), "the Cloudflare API token is in the log");
    }
}
