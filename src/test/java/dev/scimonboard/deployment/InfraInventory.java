package dev.scimonboard.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the Bicep templates under {@code infra/} declare for the app, read from their text (no Bicep compiler runs
 * here): the app settings of the Function App ({@code siteConfig.appSettings} in {@value #FUNCTION_APP}), and the
 * queues and tables of the storage module ({@code var queueNames} and {@code var tableNames} in {@value #STORAGE},
 * whose entries must be plain literals so that they can be read without evaluating Bicep).
 *
 * <p>A template that stops matching these conventions fails with what was expected where, rather than letting the
 * consistency test pass on nothing.
 */
final class InfraInventory {
    /** The Function App module, the one place where app settings are declared. */
    static final String FUNCTION_APP = "infra/modules/functionapp.bicep";
    /** The storage module, which creates the queues and tables. */
    static final String STORAGE = "infra/modules/storage.bicep";

    private static final Path INFRA = Path.of("infra");
    private static final Pattern APP_SETTINGS = Pattern.compile("\\bappSettings\\s*:\\s*\\[");
    private static final Pattern SETTING_NAME = Pattern.compile("\\bname\\s*:\\s*'([^']*)'");
    private static final Pattern SETTING_VALUE = Pattern.compile("\\bvalue\\s*:\\s*([^\\n]*)");
    private static final Pattern LITERAL = Pattern.compile("'([^'\\\\]*)'");
    private static final Pattern INTAKE_OUTPUT =
        Pattern.compile("\\boutput\\s+intakeQueueName\\s+string\\s*=\\s*'([^']*)'");

    private final Map<String, String> appSettings;
    private final List<String> queues;
    private final List<String> tables;
    private final Optional<String> intakeQueue;

    private InfraInventory(Map<String, String> appSettings, List<String> queues, List<String> tables,
                           Optional<String> intakeQueue) {
        this.appSettings = Collections.unmodifiableMap(appSettings);
        this.queues = List.copyOf(queues);
        this.tables = List.copyOf(tables);
        this.intakeQueue = intakeQueue;
    }

    /** Reads the templates of this project. */
    static InfraInventory ofThisProject() {
        String functionApp = bicep(Path.of(FUNCTION_APP));
        String storage = bicep(Path.of(STORAGE));
        Optional<String> intake = Optional.empty();
        Matcher output = INTAKE_OUTPUT.matcher(storage);
        if (output.find()) {
            intake = Optional.of(output.group(1));
        }
        return new InfraInventory(appSettings(functionApp), literalList(storage, "queueNames"),
            literalList(storage, "tableNames"), intake);
    }

    /** App setting names, in template order, each with its value expression as written. */
    Map<String, String> appSettings() {
        return appSettings;
    }

    /** Queue names the storage module creates. */
    List<String> queues() {
        return queues;
    }

    /** Table names the storage module creates. */
    List<String> tables() {
        return tables;
    }

    /** The storage module's {@code intakeQueueName} output, the queue Event Grid delivers to, if it has one. */
    Optional<String> intakeQueue() {
        return intakeQueue;
    }

    /** Template files other than the Function App module that declare app settings; there should be none. */
    static List<String> otherFilesDeclaringAppSettings() {
        List<String> others = new ArrayList<>();
        try (Stream<Path> files = Files.walk(INFRA)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".bicep")).sorted().toList()) {
                String text = bicep(file);
                boolean declares = APP_SETTINGS.matcher(text).find() || text.contains("'appsettings'");
                if (declares && !file.equals(Path.of(FUNCTION_APP))) {
                    others.add(file.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + INFRA.toAbsolutePath(), e);
        }
        return others;
    }

    private static Map<String, String> appSettings(String functionApp) {
        Matcher start = APP_SETTINGS.matcher(functionApp);
        if (!start.find()) {
            throw new AssertionError(FUNCTION_APP + " has no `appSettings: [` list; the test reads app settings "
                + "from there");
        }
        String list = SourceText.bracketed(functionApp, start.end() - 1);
        Map<String, String> settings = new LinkedHashMap<>();
        int at = list.indexOf('{');
        while (at >= 0) {
            String entry = SourceText.bracketed(list, at);
            Matcher name = SETTING_NAME.matcher(entry);
            Matcher value = SETTING_VALUE.matcher(entry);
            if (!name.find()) {
                throw new AssertionError(FUNCTION_APP + ": an app setting without a literal `name: '...'`: {"
                    + entry.strip() + "}");
            }
            settings.put(name.group(1), value.find() ? value.group(1).strip() : "");
            at = list.indexOf('{', at + entry.length() + 2);
        }
        return settings;
    }

    /** The literal entries of {@code var <name> = [ ... ]}. */
    private static List<String> literalList(String bicep, String variable) {
        Matcher start = Pattern.compile("\\bvar\\s+" + variable + "\\s*=\\s*\\[").matcher(bicep);
        if (!start.find()) {
            throw new AssertionError(STORAGE + " has no `var " + variable + " = [ ... ]`; the test reads the names "
                + "the storage module creates from there");
        }
        List<String> names = new ArrayList<>();
        for (String line : SourceText.bracketed(bicep, start.end() - 1).split("\\R")) {
            String item = line.strip();
            if (item.isEmpty()) {
                continue;
            }
            Matcher literal = LITERAL.matcher(item);
            if (!literal.matches()) {
                throw new AssertionError(STORAGE + ": `var " + variable + "` must list plain literals, one a line, "
                    + "so that the test can read them; found: " + item);
            }
            names.add(literal.group(1));
        }
        return names;
    }

    private static String bicep(Path file) {
        try {
            return SourceText.withoutComments(Files.readString(file), '\'');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
