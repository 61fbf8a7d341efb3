package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The staging folder that azure-functions-maven-plugin writes: host.json and one folder per function holding
 * function.json. Only what the local host needs is read; anything it cannot honour is refused here, at start.
 *
 * @param directory the staging folder
 * @param routePrefix the HTTP route prefix without slashes, possibly empty
 * @param queueOptions the queue trigger settings
 * @param functions the functions, sorted by name
 */
public record StagedApp(Path directory, String routePrefix, QueueOptions queueOptions,
                        List<FunctionDefinition> functions) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SETTING_EXPRESSION = Pattern.compile("%([^%]+)%");
    private static final Pattern TIME_SPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d+):(\\d+):(\\d+)(?:\\.(\\d{1,7}))?");
    private static final String DEFAULT_ROUTE_PREFIX = "api";
    private static final String DEFAULT_CONNECTION = "AzureWebJobsStorage";

    /**
     * Reads a staging folder.
     *
     * @param directory the staging folder, such as {@code target/azure-functions/cf-scim-onboarding}
     * @param settings app settings by name (null when unset), for {@code %setting%} expressions in bindings
     * @return the app
     * @throws AppDefinitionException when a file is missing or describes something the local host cannot run
     */
    public static StagedApp load(Path directory, UnaryOperator<String> settings) {
        Path hostJson = directory.resolve("host.json");
        if (!Files.isRegularFile(hostJson)) {
            throw new AppDefinitionException("no host.json in " + directory.toAbsolutePath()
                + ": build the staging folder first (mvn package -DskipTests)");
        }
        JsonNode host = readJson(hostJson);
        JsonNode extensions = field(host, "extensions");
        String routePrefix = text(field(field(extensions, "http"), "routePrefix"), DEFAULT_ROUTE_PREFIX);
        QueueOptions queueOptions = queueOptions(field(extensions, "queues"));

        List<FunctionDefinition> functions = new ArrayList<>();
        try (Stream<Path> children = Files.list(directory)) {
            for (Path folder : children.sorted().toList()) {
                Path functionJson = folder.resolve("function.json");
                if (Files.isRegularFile(functionJson)) {
                    functions.add(function(folder.getFileName().toString(), readJson(functionJson), settings));
                }
            }
        } catch (IOException e) {
            throw new AppDefinitionException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        if (functions.isEmpty()) {
            throw new AppDefinitionException("no function.json below " + directory.toAbsolutePath());
        }
        return new StagedApp(directory, trimSlashes(routePrefix), queueOptions, List.copyOf(functions));
    }

    /** One function from its function.json; the folder name is the function name, as in Azure. */
    private static FunctionDefinition function(String name, JsonNode json, UnaryOperator<String> settings) {
        String entryPoint = text(field(json, "entryPoint"), "");
        int lastDot = entryPoint.lastIndexOf('.');
        if (lastDot <= 0 || lastDot == entryPoint.length() - 1) {
            throw new AppDefinitionException("function " + name + ": entryPoint '" + entryPoint
                + "' is not of the form pkg.Class.method");
        }
        TriggerSpec trigger = null;
        for (JsonNode binding : field(json, "bindings")) {
            String type = text(field(binding, "type"), "");
            String bindingName = text(field(binding, "name"), "");
            switch (type.toLowerCase(Locale.ROOT)) {
                case "httptrigger" -> trigger = single(name, trigger, httpTrigger(name, binding, settings));
                case "queuetrigger" -> trigger = single(name, trigger, queueTrigger(name, binding, settings));
                case "timertrigger" -> trigger = single(name, trigger, timerTrigger(name, binding, settings));
                case "http" -> {
                    // The HTTP output binding is the function's return value: nothing to set up.
                }
                default -> throw new AppDefinitionException("function " + name + " uses a binding of type '" + type
                    + "' (name '" + bindingName + "'), which the local host does not support;"
                    + " it supports httpTrigger, http, queueTrigger and timerTrigger");
            }
        }
        if (trigger == null) {
            throw new AppDefinitionException("function " + name
                + " has no httpTrigger, queueTrigger or timerTrigger binding");
        }
        return new FunctionDefinition(name, entryPoint.substring(0, lastDot), entryPoint.substring(lastDot + 1),
            trigger);
    }

    /** Refuses a second trigger, which Azure refuses too. */
    private static TriggerSpec single(String function, TriggerSpec existing, TriggerSpec next) {
        if (existing != null) {
            throw new AppDefinitionException("function " + function + " has more than one trigger binding");
        }
        return next;
    }

    /** The httpTrigger binding; the route defaults to the function name, as in Azure. */
    private static TriggerSpec.Http httpTrigger(String function, JsonNode binding, UnaryOperator<String> settings) {
        String authLevel = text(field(binding, "authLevel"), "function").toLowerCase(Locale.ROOT);
        if (!Set.of("anonymous", "function", "admin").contains(authLevel)) {
            throw new AppDefinitionException("function " + function + ": unknown authLevel '" + authLevel + "'");
        }
        Set<String> methods = new LinkedHashSet<>();
        for (JsonNode method : field(binding, "methods")) {
            methods.add(method.asText().toUpperCase(Locale.ROOT));
        }
        String route = text(field(binding, "route"), "");
        route = route.isBlank() ? function : resolveSettings(function, route, settings);
        return new TriggerSpec.Http(text(field(binding, "name"), "req"), authLevel, Set.copyOf(methods),
            trimSlashes(route));
    }

    /** The queueTrigger binding; an empty connection means the default storage account setting. */
    private static TriggerSpec.Queue queueTrigger(String function, JsonNode binding, UnaryOperator<String> settings) {
        String queueName = resolveSettings(function, text(field(binding, "queueName"), ""), settings);
        if (queueName.isBlank()) {
            throw new AppDefinitionException("function " + function + ": queueTrigger without queueName");
        }
        String connection = text(field(binding, "connection"), "");
        return new TriggerSpec.Queue(text(field(binding, "name"), "message"), queueName.toLowerCase(Locale.ROOT),
            connection.isBlank() ? DEFAULT_CONNECTION : connection);
    }

    /**
     * The timerTrigger binding. A schedule naming an unset app setting leaves the function in error, not the app:
     * the Functions host then runs every other function and reports this one as unable to start. A schedule that
     * is not a valid NCRONTAB expression is refused outright.
     */
    private static TriggerSpec.Timer timerTrigger(String function, JsonNode binding, UnaryOperator<String> settings) {
        String name = text(field(binding, "name"), "timer");
        String raw = text(field(binding, "schedule"), "");
        boolean runOnStartup = field(binding, "runOnStartup").asBoolean(false);
        Matcher matcher = SETTING_EXPRESSION.matcher(raw);
        while (matcher.find()) {
            String setting = settings.apply(matcher.group(1));
            if (setting == null || setting.isBlank()) {
                return new TriggerSpec.Timer(name, null, runOnStartup, "its schedule " + raw + " names the app "
                    + "setting " + matcher.group(1) + ", which is not set; set it to an NCRONTAB expression such as "
                    + "'0 */15 * * * *'");
            }
        }
        String schedule = resolveSettings(function, raw, settings);
        if (schedule.matches("\\s*\\d+(\\.\\d+)?:\\d+:\\d+.*")) {
            throw new AppDefinitionException("function " + function + ": the schedule '" + schedule + "' is a time "
                + "span, which only Dedicated plans accept and the local host does not; use an NCRONTAB expression");
        }
        try {
            return new TriggerSpec.Timer(name, NcrontabSchedule.parse(schedule), runOnStartup, null);
        } catch (IllegalArgumentException e) {
            throw new AppDefinitionException("function " + function + ": invalid schedule: " + e.getMessage(), e);
        }
    }

    /** Replaces {@code %name%} with the app setting, as the Functions host does in binding properties. */
    private static String resolveSettings(String function, String value, UnaryOperator<String> settings) {
        Matcher matcher = SETTING_EXPRESSION.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String setting = settings.apply(matcher.group(1));
            if (setting == null) {
                throw new AppDefinitionException("function " + function + ": binding expression %" + matcher.group(1)
                    + "% names an app setting that is not set");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(setting));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** The extensions.queues section with the host's defaults for what it leaves out. */
    private static QueueOptions queueOptions(JsonNode queues) {
        QueueOptions defaults = QueueOptions.DEFAULTS;
        int batchSize = integer(field(queues, "batchSize"), defaults.batchSize());
        int newBatchThreshold = integer(field(queues, "newBatchThreshold"), batchSize / 2);
        Duration maxPolling = duration(field(queues, "maxPollingInterval"), defaults.maxPollingInterval());
        Duration visibility = duration(field(queues, "visibilityTimeout"), defaults.visibilityTimeout());
        int maxDequeueCount = integer(field(queues, "maxDequeueCount"), defaults.maxDequeueCount());
        String encoding = text(field(queues, "messageEncoding"), "base64").toLowerCase(Locale.ROOT);
        if (!encoding.equals("base64") && !encoding.equals("none")) {
            throw new AppDefinitionException("host.json extensions.queues.messageEncoding must be base64 or none, not "
                + encoding);
        }
        return new QueueOptions(batchSize, newBatchThreshold, maxPolling, visibility, maxDequeueCount,
            encoding.equals("base64"));
    }

    /**
     * Parses a host.json duration: a .NET TimeSpan ("00:00:02", "1.00:00:00", "00:00:00.500") or, as older
     * host.json files wrote it, a number of milliseconds.
     *
     * @param value the text
     * @return the duration
     * @throws AppDefinitionException when the text is neither
     */
    static Duration parseDuration(String value) {
        String text = value.trim();
        if (text.matches("\\d+")) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        Matcher matcher = TIME_SPAN.matcher(text);
        if (!matcher.matches()) {
            throw new AppDefinitionException("host.json: '" + value + "' is not a time span such as 00:00:30");
        }
        String fraction = matcher.group(5) == null ? "0" : (matcher.group(5) + "000000").substring(0, 7);
        return Duration.ofDays(matcher.group(1) == null ? 0 : Long.parseLong(matcher.group(1)))
            .plusHours(Long.parseLong(matcher.group(2)))
            .plusMinutes(Long.parseLong(matcher.group(3)))
            .plusSeconds(Long.parseLong(matcher.group(4)))
            .plusNanos(Long.parseLong(fraction) * 100);
    }

    private static Duration duration(JsonNode node, Duration fallback) {
        return node.isMissingNode() || node.isNull() ? fallback : parseDuration(node.asText());
    }

    private static int integer(JsonNode node, int fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() && !node.asText().matches("-?\\d+")) {
            throw new AppDefinitionException("host.json: '" + node.asText() + "' is not a whole number");
        }
        return node.isNumber() ? node.intValue() : Integer.parseInt(node.asText());
    }

    private static String text(JsonNode node, String fallback) {
        return node.isMissingNode() || node.isNull() ? fallback : node.asText();
    }

    /** A field looked up without regard to case, because the Functions host reads host.json that way. */
    private static JsonNode field(JsonNode node, String name) {
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue();
                }
            }
        }
        return JSON.missingNode();
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AppDefinitionException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String trimSlashes(String path) {
        String trimmed = path.trim();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
