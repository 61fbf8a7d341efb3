package dev.scimonboard.deployment;

import com.microsoft.azure.functions.annotation.FunctionName;
import dev.scimonboard.pipeline.Queues;
import dev.scimonboard.pipeline.StepName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the function app's code needs from its deployment: the app settings it reads, the connections its bindings
 * name, the queues and the tables it uses. Everything is derived from the code as it is, never listed by hand, from
 * two sources that each see what the other cannot:
 *
 * <ul>
 *   <li><b>The Functions annotations, by reflection</b> on the compiled classes. They are what the Maven plugin turns
 *   into {@code function.json}, so reading them sees exactly what Azure will bind, constants resolved, without
 *   needing {@code mvn package} to have run (the generated files do not exist in the test phase, and stale ones from
 *   an earlier build would mislead). From every binding annotation: each {@code %NAME%} placeholder in any of its
 *   text elements (the timer's {@code schedule}, for one) is a setting; {@code connection} names a connection
 *   ({@value #DEFAULT_CONNECTION} when a storage binding leaves it empty); {@code queueName} and {@code tableName}
 *   name queues and tables, and a trigger's queue gets the host's poison queue beside it.</li>
 *   <li><b>The sources under {@code src/main/java}</b>, for what code reads at run time: the argument of every
 *   {@code System.getenv(..)}, {@code optional(..)} and {@code required(..)} call (the {@code Settings} accessors),
 *   and of every {@code getQueueClient(..)}, {@code getTableClient(..)} and {@code createTableIfNotExists(..)}
 *   call, when it is a string literal or a constant (resolved by reflection, so concatenated constants work too);
 *   every setting-shaped literal ({@code UPPER_CASE_WITH_UNDERSCORES}) in {@code Settings.java}, whose helpers
 *   take the name as an argument; and every constant named {@code *_SETTING}. Comments are removed first.</li>
 * </ul>
 *
 * <p>A name computed at run time (a concatenation such as the identity-based {@code AzureWebJobsStorage__...}
 * settings, or a variable) is not seen. The consistency test covers that gap from the other side: a setting that
 * infra/ declares but this inventory does not find fails the test, so a scan that misses something is noticed.
 */
final class CodeInventory {
    /** The connection a storage binding uses when its {@code connection} is empty, and the host's own storage. */
    static final String DEFAULT_CONNECTION = "AzureWebJobsStorage";

    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final String SETTINGS_CLASS = "dev.scimonboard.Settings";
    private static final String BINDING_ANNOTATIONS = "com.microsoft.azure.functions.annotation";

    private static final Pattern SETTING_NAME = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");
    private static final Pattern PLACEHOLDER = Pattern.compile("%([^%]+)%");
    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    /** A call with one argument that is a string literal or a (possibly qualified) name. */
    private static final String ONE_ARGUMENT = "\\(\\s*(\"[^\"\\n]*\"|[A-Za-z_][\\w.]*)\\s*\\)";
    private static final Pattern SETTING_CALL =
        Pattern.compile("(?:System\\.getenv|\\boptional|\\brequired)" + ONE_ARGUMENT);
    private static final Pattern QUEUE_CALL = Pattern.compile("\\bgetQueueClient" + ONE_ARGUMENT);
    private static final Pattern TABLE_CALL =
        Pattern.compile("\\b(?:getTableClient|createTableIfNotExists|createTable)" + ONE_ARGUMENT);

    private final SortedMap<String, SortedSet<String>> settings = new TreeMap<>();
    private final SortedMap<String, SortedSet<String>> connections = new TreeMap<>();
    private final SortedMap<String, SortedSet<String>> queues = new TreeMap<>();
    private final SortedSet<String> triggeredQueues = new TreeSet<>();
    private final SortedMap<String, SortedSet<String>> tables = new TreeMap<>();
    private final SortedSet<String> functions = new TreeSet<>();
    private final Map<String, String> classesBySimpleName = new TreeMap<>();

    private CodeInventory() {
    }

    /** The inventory of the code under {@code src/main/java}, taken once per test run. */
    static CodeInventory ofThisProject() {
        return Holder.INSTANCE;
    }

    /** Setting names the code reads, each with where it was found. */
    SortedMap<String, SortedSet<String>> settings() {
        return Collections.unmodifiableSortedMap(settings);
    }

    /** Connection names the bindings use, each with the kinds of binding on it ({@code queue}, {@code table}, ...). */
    SortedMap<String, SortedSet<String>> connections() {
        return Collections.unmodifiableSortedMap(connections);
    }

    /** Queues the code or the host uses, each with why. */
    SortedMap<String, SortedSet<String>> queues() {
        return Collections.unmodifiableSortedMap(queues);
    }

    /** Queues that a function is triggered by. */
    SortedSet<String> triggeredQueues() {
        return Collections.unmodifiableSortedSet(triggeredQueues);
    }

    /** Tables the code uses, each with where. */
    SortedMap<String, SortedSet<String>> tables() {
        return Collections.unmodifiableSortedMap(tables);
    }

    /** The functions found, by their {@code @FunctionName}. */
    SortedSet<String> functions() {
        return Collections.unmodifiableSortedSet(functions);
    }

    private void take() {
        List<Path> sources = mainSources();
        for (Path source : sources) {
            String className = className(source);
            classesBySimpleName.put(className.substring(className.lastIndexOf('.') + 1), className);
        }
        for (String className : classesBySimpleName.values()) {
            Class<?> type = load(className);
            readBindings(type);
            readSettingConstants(type);
        }
        for (Path source : sources) {
            readSource(source);
        }
        readQueueConstants();
    }

    /** Settings, connections, queues and tables named by the binding annotations of each function method. */
    private void readBindings(Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            FunctionName name = method.getAnnotation(FunctionName.class);
            if (name == null) {
                continue;
            }
            functions.add(name.value());
            List<Annotation> bindings = new ArrayList<>(List.of(method.getAnnotations()));
            for (Annotation[] parameter : method.getParameterAnnotations()) {
                bindings.addAll(List.of(parameter));
            }
            String where = "function " + name.value();
            for (Annotation binding : bindings) {
                if (binding.annotationType().getPackageName().equals(BINDING_ANNOTATIONS)) {
                    readBinding(binding, where);
                }
            }
        }
    }

    private void readBinding(Annotation binding, String where) {
        String kind = binding.annotationType().getSimpleName();
        String storageKind = kind.startsWith("Queue") ? "queue"
            : kind.startsWith("Table") ? "table" : kind.startsWith("Blob") ? "blob" : null;
        boolean trigger = kind.endsWith("Trigger");
        for (Method element : binding.annotationType().getDeclaredMethods()) {
            if (element.getReturnType() != String.class) {
                continue;
            }
            String value = (String) invoke(element, binding);
            Matcher placeholder = PLACEHOLDER.matcher(value);
            while (placeholder.find()) {
                add(settings, placeholder.group(1), where + " (@" + kind + " " + element.getName() + ")");
            }
            switch (element.getName()) {
                case "connection" -> {
                    String connection = value.isEmpty() && storageKind != null ? DEFAULT_CONNECTION : value;
                    if (!connection.isEmpty()) {
                        add(connections, connection, storageKind != null ? storageKind : kind);
                    }
                }
                case "queueName" -> {
                    add(queues, value, where + (trigger ? " is triggered by it" : " binds it"));
                    if (trigger) {
                        triggeredQueues.add(value);
                        add(queues, value + StepName.POISON_SUFFIX, "the host's poison queue of " + value);
                    }
                }
                case "tableName" -> add(tables, value, where + " binds it");
                default -> {
                }
            }
        }
    }

    /** Constants named {@code *_SETTING}: the convention for a setting name that a class reads itself. */
    private void readSettingConstants(Class<?> type) {
        for (Field field : type.getDeclaredFields()) {
            if (isStringConstant(field) && field.getName().endsWith("_SETTING")) {
                add(settings, constantValue(field), type.getSimpleName() + "." + field.getName());
            }
        }
    }

    private void readSource(Path source) {
        String className = className(source);
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        String code = SourceText.withoutComments(read(source), '"', '\'');
        String file = simpleName + ".java";

        Matcher call = SETTING_CALL.matcher(code);
        while (call.find()) {
            resolve(call.group(1), className).ifPresent(name -> add(settings, name, file));
        }
        if (className.equals(SETTINGS_CLASS)) {
            Matcher literal = STRING_LITERAL.matcher(code);
            while (literal.find()) {
                if (SETTING_NAME.matcher(literal.group(1)).matches()) {
                    add(settings, literal.group(1), file);
                }
            }
        }
        Matcher queueCall = QUEUE_CALL.matcher(code);
        while (queueCall.find()) {
            resolve(queueCall.group(1), className).ifPresent(name -> add(queues, name, file + " sends to it"));
        }
        Matcher tableCall = TABLE_CALL.matcher(code);
        while (tableCall.find()) {
            resolve(tableCall.group(1), className).ifPresent(name -> add(tables, name, file + " uses it"));
        }
    }

    /** Every queue name that {@link Queues} holds: the names the code sends to and triggers on. */
    private void readQueueConstants() {
        for (Field field : Queues.class.getDeclaredFields()) {
            if (isStringConstant(field)) {
                String value = constantValue(field);
                if (QUEUE_NAME.matcher(value).matches()) {
                    add(queues, value, "Queues." + field.getName());
                }
            }
        }
    }

    /** A literal's text, or a constant's value; empty for anything else (a variable, a method's parameter). */
    private Optional<String> resolve(String argument, String inClass) {
        if (argument.startsWith("\"")) {
            return Optional.of(argument.substring(1, argument.length() - 1));
        }
        int dot = argument.lastIndexOf('.');
        String owner = dot < 0 ? inClass : classesBySimpleName.get(argument.substring(0, dot));
        if (owner == null) {
            return Optional.empty();
        }
        try {
            Field field = load(owner).getDeclaredField(argument.substring(dot + 1));
            return isStringConstant(field) ? Optional.of(constantValue(field)) : Optional.empty();
        } catch (NoSuchFieldException e) {
            return Optional.empty();
        }
    }

    private static boolean isStringConstant(Field field) {
        int modifiers = field.getModifiers();
        return Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class;
    }

    private static String constantValue(Field field) {
        try {
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static Object invoke(Method element, Annotation binding) {
        try {
            return element.invoke(binding);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + element + " of " + binding, e);
        }
    }

    private static void add(SortedMap<String, SortedSet<String>> names, String name, String where) {
        names.computeIfAbsent(name, key -> new TreeSet<>()).add(where);
    }

    private static List<Path> mainSources() {
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                .filter(file -> !file.getFileName().toString().equals("package-info.java"))
                .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + MAIN_SOURCES.toAbsolutePath(), e);
        }
    }

    private static String className(Path source) {
        String relative = MAIN_SOURCES.relativize(source).toString();
        return relative.substring(0, relative.length() - ".java".length()).replace('/', '.').replace('\\', '.');
    }

    /** Loads without initialising: reading annotations runs no static code. */
    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, CodeInventory.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no compiled class for " + className + "; compile the main sources", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The set of names in a map, for set arithmetic in the test. */
    static Set<String> names(Map<String, ?> map) {
        return new TreeSet<>(map.keySet());
    }

    private static final class Holder {
        private static final CodeInventory INSTANCE = build();

        private static CodeInventory build() {
            CodeInventory inventory = new CodeInventory();
            inventory.take();
            return inventory;
        }
    }
}
