package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Writes a synthetic staging folder below target/ the way azure-functions-maven-plugin lays one out: host.json and
 * one folder per function with its function.json.
 */
final class StagingFolder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE = FixtureFunctions.class.getName();

    private final Path directory;

    private StagingFolder(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates an empty staging folder with a unique name.
     *
     * @param hostJson the host.json content
     * @return the folder
     */
    static StagingFolder create(String hostJson) {
        Path directory = AzuriteProcess.projectRoot().resolve("target").resolve("local-host-tests")
            .resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("host.json"), hostJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StagingFolder(directory);
    }

    /**
     * The folder.
     *
     * @return its path
     */
    Path directory() {
        return directory;
    }

    /**
     * Adds an HTTP-triggered fixture function, as the plugin describes it.
     *
     * @param name the function name
     * @param method the fixture method
     * @param authLevel the level, in the plugin's upper case
     * @param route the route
     * @param methods the allowed methods; none for all
     * @return this folder
     */
    StagingFolder http(String name, String method, String authLevel, String route, String... methods) {
        ObjectNode trigger = JSON.createObjectNode()
            .put("type", "httpTrigger").put("direction", "in").put("name", "req").put("authLevel", authLevel);
        if (route != null) {
            trigger.put("route", route);
        }
        if (methods.length > 0) {
            ArrayNode list = trigger.putArray("methods");
            for (String allowed : methods) {
                list.add(allowed);
            }
        }
        ObjectNode output = JSON.createObjectNode().put("type", "http").put("direction", "out").put("name", "$return");
        return function(name, method, trigger, output);
    }

    /**
     * Adds a queue-triggered fixture function.
     *
     * @param name the function name
     * @param method the fixture method
     * @param queueName the queue
     * @return this folder
     */
    StagingFolder queue(String name, String method, String queueName) {
        ObjectNode trigger = JSON.createObjectNode().put("type", "queueTrigger").put("direction", "in")
            .put("name", "message").put("queueName", queueName).put("connection", "AzureWebJobsStorage");
        return function(name, method, trigger);
    }

    /**
     * Adds a timer-triggered fixture function.
     *
     * @param name the function name
     * @param method the fixture method
     * @param schedule the schedule, possibly a {@code %setting%} expression
     * @param runOnStartup whether it runs once at start
     * @return this folder
     */
    StagingFolder timer(String name, String method, String schedule, boolean runOnStartup) {
        ObjectNode trigger = JSON.createObjectNode().put("type", "timerTrigger").put("direction", "in")
            .put("name", "timer").put("schedule", schedule);
        if (runOnStartup) {
            trigger.put("runOnStartup", true);
        }
        return function(name, method, trigger);
    }

    /**
     * Adds a function with arbitrary bindings.
     *
     * @param name the function name
     * @param method the fixture method
     * @param bindings the bindings
     * @return this folder
     */
    StagingFolder function(String name, String method, ObjectNode... bindings) {
        ObjectNode functionJson = JSON.createObjectNode()
            .put("scriptFile", "../cloudflare-scim-onboarding-1.0.0-SNAPSHOT.jar")
            .put("entryPoint", FIXTURE + "." + method);
        ArrayNode list = functionJson.putArray("bindings");
        for (ObjectNode binding : bindings) {
            list.add(binding);
        }
        try {
            Path folder = Files.createDirectories(directory.resolve(name));
            Files.writeString(folder.resolve("function.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(functionJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
