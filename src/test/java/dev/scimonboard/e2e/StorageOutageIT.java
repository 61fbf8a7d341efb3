package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimonboard.devtools.host.LocalHostProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host whose status table cannot be reached answers with a problem, not a bare error, and keeps trying. */
class StorageOutageIT {
    private final TestPipeline pipeline = TestPipeline.shared();

    @Test
    void whileTheStatusTableCannotBeReachedEveryCallAnswers503WithAProblemTheDocumentDescribes() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachableTables = pipeline.azurite.connectionString().replaceAll("TableEndpoint=[^;]+",
            "TableEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1");
        OpenApiContract contract = OpenApiContract.of(pipeline.get("/openapi.json").body());
        String account = pipeline.newAccount();

        try (LocalHostProcess host = pipeline.startExtraHost(Map.of("AzureWebJobsStorage", unreachableTables))) {
            URI status = URI.create(host.baseUri().toString().replaceAll("/$", "") + "/api/onboardings/" + account);
            // The first call finds storage down while building the services; the second must try again, not
            // find the process broken for good.
            for (int call = 1; call <= 2; call++) {
                HttpResponse<String> put = pipeline.send(HttpRequest.newBuilder(status)
                    .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")));

                assertEquals(503, put.statusCode(), "call " + call + ": " + put.body());
                JsonNode problem = TestPipeline.read(put.body());
                assertTrue(problem.path("detail").asText().contains("storage"), put.body());
                contract.check("PUT", status, put);
            }
        }
        assertEquals(404, pipeline.get("/onboardings/" + account).statusCode(), "nothing was recorded");
    }
}
