package dev.scimonboard.devtools.host;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalHostProcessTest {

    @Test
    void theCommandLineHostServesLogsOneLinePerRecordAndStopsOnSigterm() throws Exception {
        StagingFolder folder = StagingFolder.create("{}")
            .http("echo", "echo", "ANONYMOUS", "items/{id}/{part?}", "GET")
            .http("secured", "secured", "FUNCTION", "secured", "POST");
        int status;
        int securedStatus;
        int exitCode;
        String log;
        try (LocalHostProcess host = LocalHostProcess.start(folder.directory(), Map.of("LOCAL_FUNCTION_KEY", "k"))) {
            HttpClient client = HttpClient.newHttpClient();
            status = client.send(HttpRequest.newBuilder(host.baseUri().resolve("/api/items/9")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
            securedStatus = client.send(HttpRequest.newBuilder(host.baseUri().resolve("/api/secured"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            exitCode = host.stop();
            log = host.logText();
        }

        assertEquals(200, status);
        assertEquals(401, securedStatus, "the key from the environment was not demanded");
        assertEquals(0, exitCode);
        List<String> lines = log.lines().filter(line -> line.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).toList();
        assertTrue(lines.stream().anyMatch(line -> line.matches(
            "^\\S+Z INFO +\\[Function\\.echo] echo for id=9$")), log);
        assertTrue(lines.stream().anyMatch(line -> line.contains("echo: [GET] http://127.0.0.1:")), log);
        assertTrue(lines.get(lines.size() - 1).endsWith("local host stopped"), log);
        int ready = indexOf(lines, LocalHost.READY_LINE);
        int firstInvocation = indexOf(lines, "Executing");
        assertTrue(ready >= 0 && ready < firstInvocation, log);
        assertTrue(lines.subList(0, ready).stream().noneMatch(line -> line.contains("Executing")), log);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
