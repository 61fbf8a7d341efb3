package dev.scimonboard.e2e;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.OpenApi31;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OpenAPI document of the HTTP API read as a contract: checks of its own structure, and checks of real responses
 * against the operation, status, headers and body that it documents.
 *
 * <p>Schemas are evaluated by networknt's validator in the OpenAPI 3.1 dialect of JSON Schema 2020-12, with formats
 * asserted. Responses are validated against a copy of the document whose object schemas in {@code components} are
 * closed ({@code unevaluatedProperties: false}): the served document stays open so that fields can be added, while
 * the check fails on a field that the document does not describe.
 */
final class OpenApiContract {
    /** The base URI the document is evaluated under; its {@code $ref}s are all local, so nothing is fetched. */
    static final String DOCUMENT_URI = "https://scim-onboarding.dev/openapi.json";

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
        "trace");
    private static final List<String> COMPONENT_KINDS = List.of("schemas", "responses", "parameters", "headers",
        "examples", "requestBodies");
    private static final Pattern STATUS_KEY = Pattern.compile("[1-5](\\d\\d|XX)|default");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final int SHOWN_BODY = 1500;

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new HashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        ObjectNode closed = document.deepCopy();
        closed.path("components").path("schemas").forEach(schema -> {
            if (schema instanceof ObjectNode object && object.has("properties")
                && !object.has("additionalProperties") && !object.has("unevaluatedProperties")) {
                object.put("unevaluatedProperties", false);
            }
        });
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance(),
            builder -> builder.schemaRegistryConfig(config).schemas(Map.of(DOCUMENT_URI, closed.toString())));
    }

    /**
     * Reads a document.
     *
     * @param text the document as JSON
     * @return the contract
     */
    static OpenApiContract of(String text) {
        return new OpenApiContract(TestPipeline.read(text));
    }

    /**
     * The same document with a change, to show that the checks notice a wrong document.
     *
     * @param change what to change in a copy of the document
     * @return the contract of the changed copy
     */
    OpenApiContract withChange(Consumer<ObjectNode> change) {
        ObjectNode copy = document.deepCopy();
        change.accept(copy);
        return new OpenApiContract(copy);
    }

    /** The document as read. */
    JsonNode document() {
        return document;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The document's own structure. Each check answers the problems it found, one line each; none is all right.

    /**
     * Every {@code $ref} is local, resolves, and names a component of the kind its place needs (a response where a
     * response stands, a schema where a schema stands, and so on).
     *
     * @return the problems found
     */
    List<String> referenceProblems() {
        List<String> problems = new ArrayList<>();
        walk(document, "", (pointer, node) -> {
            node.path("discriminator").path("mapping").properties().forEach(entry -> {
                if (!entry.getValue().isTextual() || !entry.getValue().textValue().startsWith("#/components/schemas/")
                    || resolve(entry.getValue().textValue()).isMissingNode()) {
                    problems.add(pointer + "/discriminator/mapping/" + escape(entry.getKey()) + ": "
                        + entry.getValue() + " names no schema of the components");
                }
            });
            JsonNode ref = node.get("$ref");
            if (ref == null) {
                return;
            }
            if (!ref.isTextual() || !ref.textValue().startsWith("#/")) {
                problems.add(pointer + ": $ref " + ref + " is not a local JSON pointer");
                return;
            }
            if (resolve(ref.textValue()).isMissingNode()) {
                problems.add(pointer + ": $ref " + ref.textValue() + " resolves to nothing");
            }
            String expected = "#/components/" + expectedKind(pointer) + "/";
            if (!ref.textValue().startsWith(expected)) {
                problems.add(pointer + ": $ref " + ref.textValue() + " should name a component under " + expected);
            }
        });
        return problems;
    }

    /**
     * Every operation has a unique id and at least one response; response keys are status codes; each response
     * has a description; each media type has a schema; a success is JSON and an error a problem document; every
     * security requirement names a scheme that exists.
     *
     * @return the problems found
     */
    List<String> operationProblems() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> schemes = fieldNames(document.path("components").path("securitySchemes"));
        checkSecurity(document.path("security"), "/security", schemes, problems);
        if (!document.path("security").isArray() || document.path("security").isEmpty()) {
            problems.add("/security: the document names no security requirement; every operation needs a key");
        }
        forEachOperation((pointer, operation) -> {
            JsonNode id = operation.get("operationId");
            if (id == null || !id.isTextual() || id.textValue().isBlank()) {
                problems.add(pointer + ": no operationId");
            } else if (!ids.add(id.textValue())) {
                problems.add(pointer + ": operationId " + id.textValue() + " is used twice");
            }
            checkSecurity(operation.path("security"), pointer + "/security", schemes, problems);
            JsonNode responses = operation.path("responses");
            if (!responses.isObject() || responses.isEmpty()) {
                problems.add(pointer + ": no responses");
                return;
            }
            responses.properties().forEach(entry -> {
                String at = pointer + "/responses/" + escape(entry.getKey());
                if (!STATUS_KEY.matcher(entry.getKey()).matches()) {
                    problems.add(at + ": not a status code");
                }
                Located response = followRef(at, entry.getValue());
                if (!response.node().path("description").isTextual()) {
                    problems.add(response.pointer() + ": no description");
                }
                response.node().path("content").properties().forEach(media -> {
                    if (!media.getValue().path("schema").isObject()) {
                        problems.add(response.pointer() + "/content/" + escape(media.getKey()) + ": no schema");
                    }
                    String wanted = entry.getKey().startsWith("2") ? "application/json" : "application/problem+json";
                    if (!media.getKey().equals(wanted)) {
                        problems.add(at + ": answers " + media.getKey() + " where this API answers " + wanted);
                    }
                });
            });
        });
        return problems;
    }

    /**
     * Every parameter in a path template is declared as a required path parameter, and every declared path
     * parameter is in the template.
     *
     * @return the problems found
     */
    List<String> pathParameterProblems() {
        List<String> problems = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            Set<String> inTemplate = new LinkedHashSet<>();
            TEMPLATE_PARAMETER.matcher(path.getKey()).results().forEach(m -> inTemplate.add(m.group(1)));
            String pathPointer = "/paths/" + escape(path.getKey());
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                Set<String> declared = new LinkedHashSet<>();
                List<Located> parameters = new ArrayList<>();
                addAll(parameters, pathPointer + "/parameters", path.getValue().path("parameters"));
                addAll(parameters, pathPointer + "/" + method + "/parameters", operation.path("parameters"));
                for (Located parameter : parameters) {
                    if (!"path".equals(parameter.node().path("in").asText())) {
                        continue;
                    }
                    String name = parameter.node().path("name").asText();
                    declared.add(name);
                    if (!parameter.node().path("required").asBoolean(false)) {
                        problems.add(parameter.pointer() + ": path parameter " + name + " must be required");
                    }
                }
                if (!declared.equals(inTemplate)) {
                    problems.add(pathPointer + "/" + method + ": declares path parameters " + declared
                        + " but the template has " + inTemplate);
                }
            }
        });
        return problems;
    }

    /**
     * Every schema (the components' and those inline in parameters, headers and media types) is a valid JSON Schema
     * 2020-12 document by the meta-schema, and compiles with its references resolved.
     *
     * @return the problems found
     */
    List<String> schemaProblems() {
        List<String> problems = new ArrayList<>();
        Schema meta = registry.getSchema(SchemaLocation.of(META_SCHEMA));
        for (String pointer : schemaPointers()) {
            for (Error error : meta.validate(resolve("#" + pointer).toString(), InputFormat.JSON)) {
                problems.add(pointer + ": not valid JSON Schema 2020-12: " + error);
            }
            try {
                schema(pointer).initializeValidators();
            } catch (RuntimeException e) {
                problems.add(pointer + ": does not compile: " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * Every example matches its schema: those of media types (inline or from {@code components/examples}), of
     * parameters and headers, and the {@code examples} inside schemas.
     *
     * @return the problems found
     */
    List<String> exampleProblems() {
        List<String> problems = new ArrayList<>();
        walk(document, "", (pointer, node) -> {
            boolean inSchemas = pointer.startsWith("/components/schemas/");
            if (inSchemas && node.path("examples").isArray()) {
                JsonNode examples = node.get("examples");
                for (int i = 0; i < examples.size(); i++) {
                    problems.addAll(mismatches(pointer + "/examples/" + i, pointer, examples.get(i)));
                }
            }
            if (inSchemas || !node.path("schema").isObject()) {
                return;
            }
            String schemaPointer = pointer + "/schema";
            if (node.has("example")) {
                problems.addAll(mismatches(pointer + "/example", schemaPointer, node.get("example")));
            }
            node.path("examples").properties().forEach(entry -> {
                String at = pointer + "/examples/" + escape(entry.getKey());
                Located example = followRef(at, entry.getValue());
                if (!example.node().has("value")) {
                    problems.add(example.pointer() + ": no value");
                    return;
                }
                String what = example.pointer().equals(at) ? at : example.pointer() + " (used at " + at + ")";
                problems.addAll(mismatches(what, schemaPointer, example.node().get("value")));
            });
        });
        return problems;
    }

    /**
     * Every component is used: each schema, response, parameter, header and example is referenced, and each
     * security scheme is named by a security requirement.
     *
     * @return the problems found
     */
    List<String> unusedComponentProblems() {
        Set<String> referenced = new HashSet<>();
        walk(document, "", (pointer, node) -> {
            if (node.path("$ref").isTextual()) {
                referenced.add(node.get("$ref").textValue());
            }
        });
        List<String> problems = new ArrayList<>();
        for (String kind : COMPONENT_KINDS) {
            for (String name : fieldNames(document.path("components").path(kind))) {
                String ref = "#/components/" + kind + "/" + escape(name);
                if (!referenced.contains(ref)) {
                    problems.add(ref + " is never referenced");
                }
            }
        }
        Set<String> named = new HashSet<>();
        document.path("security").forEach(requirement -> named.addAll(fieldNames(requirement)));
        forEachOperation((pointer, operation) -> operation.path("security")
            .forEach(requirement -> named.addAll(fieldNames(requirement))));
        for (String scheme : fieldNames(document.path("components").path("securitySchemes"))) {
            if (!named.contains(scheme)) {
                problems.add("#/components/securitySchemes/" + scheme + " is named by no security requirement");
            }
        }
        return problems;
    }

    /**
     * What swagger-parser, an OpenAPI parser independent of the checks above, finds wrong with the document's
     * structure (missing or unexpected attributes, values of the wrong type), with references left unresolved.
     *
     * @return its messages, and a line of its own when it reads no OpenAPI 3.1 document
     */
    List<String> parserMessages() {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document.toString(), null, options);
        List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        if (result.getOpenAPI() == null || !"3.1.0".equals(result.getOpenAPI().getOpenapi())) {
            messages.add("swagger-parser read no OpenAPI 3.1.0 document");
        }
        return messages;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Real responses.

    /**
     * Checks a real response against the document: the operation for its method and path, the status among that
     * operation's responses, every required header present and every documented header's value valid, the content
     * type among the documented media types and the body valid by that media type's schema.
     *
     * @param method the request's method
     * @param uri the request's URI, whose path starts with the server URL's path
     * @param response the response
     * @return the body read as JSON, or null when there is none
     * @throws AssertionError naming the operation, what differs from the document and the body
     */
    JsonNode check(String method, URI uri, HttpResponse<String> response) {
        String serverPath = document.path("servers").path(0).path("url").asText();
        String rawPath = uri.getRawPath();
        if (!rawPath.startsWith(serverPath + "/")) {
            throw new AssertionError(rawPath + " is not below the server URL " + serverPath);
        }
        String path = rawPath.substring(serverPath.length());
        String template = pathTemplate(path).orElseThrow(() -> new AssertionError("no path of the document matches "
            + path + "; paths: " + fieldNames(document.path("paths"))));
        String operationPointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = resolve("#" + operationPointer);
        String what = method + " " + template + " (" + operation.path("operationId").asText("?") + ")";
        if (!operation.isObject()) {
            throw new AssertionError("the document has no operation " + method + " " + template);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        String label = what + " answered " + status;

        JsonNode responses = operation.path("responses");
        String key = List.of(Integer.toString(status), (status / 100) + "XX", "default").stream()
            .filter(responses::has).findFirst().orElseThrow(() -> new AssertionError(label + ", a status the "
                + "document does not list for it (it lists " + fieldNames(responses) + "); body: " + shown(body)));
        Located documented = followRef(operationPointer + "/responses/" + key, responses.get(key));

        documented.node().path("headers").properties().forEach(entry -> {
            Located header = followRef(documented.pointer() + "/headers/" + escape(entry.getKey()), entry.getValue());
            Optional<String> value = response.headers().firstValue(entry.getKey());
            if (value.isEmpty()) {
                if (header.node().path("required").asBoolean(false)) {
                    throw new AssertionError(label + " without the header " + entry.getKey() + ", which the "
                        + "document requires (" + header.pointer() + ")");
                }
                return;
            }
            String schemaPointer = header.pointer() + "/schema";
            List<Error> errors = schema(schemaPointer).validate(headerJson(value.get(), resolve("#"
                + schemaPointer)), InputFormat.JSON);
            if (!errors.isEmpty()) {
                throw new AssertionError(label + " with header " + entry.getKey() + ": " + value.get()
                    + ", which does not match " + schemaPointer + ": " + errors);
            }
        });

        JsonNode content = documented.node().path("content");
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        if (body.isEmpty()) {
            if (!content.isEmpty()) {
                throw new AssertionError(label + " without a body, where the document describes "
                    + fieldNames(content) + " (" + documented.pointer() + ")");
            }
            return null;
        }
        if (content.isEmpty()) {
            throw new AssertionError(label + " with a body, where the document describes none ("
                + documented.pointer() + "); body: " + shown(body));
        }
        if (contentType == null) {
            throw new AssertionError(label + " with a body but no Content-Type; body: " + shown(body));
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String mediaKey = fieldNames(content).stream().filter(range -> matches(range, mediaType)).findFirst()
            .orElseThrow(() -> new AssertionError(label + " with Content-Type " + contentType + ", where the "
                + "document describes " + fieldNames(content) + " (" + documented.pointer() + ")"));
        String schemaPointer = documented.pointer() + "/content/" + escape(mediaKey) + "/schema";
        List<Error> errors = schema(schemaPointer).validate(body, InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError(label + " with a body that does not match #" + schemaPointer + ":\n  "
                + errors.stream().map(Error::toString).collect(Collectors.joining("\n  ")) + "\nbody: "
                + shown(body));
        }
        return TestPipeline.read(body);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A node of the document with the JSON pointer it was found at. */
    private record Located(String pointer, JsonNode node) {
    }

    /** The path template of the document that a concrete path matches; literal templates win over parameters. */
    private Optional<String> pathTemplate(String path) {
        return fieldNames(document.path("paths")).stream()
            .sorted(Comparator.comparingLong(template -> template.chars().filter(c -> c == '{').count()))
            .filter(template -> templatePattern(template).matcher(path).matches())
            .findFirst();
    }

    private static Pattern templatePattern(String template) {
        StringBuilder regex = new StringBuilder();
        int at = 0;
        var matcher = TEMPLATE_PARAMETER.matcher(template);
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(at, matcher.start()))).append("[^/]+");
            at = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return Pattern.compile(regex.toString());
    }

    /** Whether a documented media type (possibly a range such as application/*) covers a response's media type. */
    private static boolean matches(String range, String mediaType) {
        if (range.equals(mediaType) || range.equals("*/*")) {
            return true;
        }
        return range.endsWith("/*") && mediaType.startsWith(range.substring(0, range.length() - 1));
    }

    /** A header's text as JSON for its schema: a number where the schema wants one and the text is one. */
    private static String headerJson(String value, JsonNode schema) {
        String type = schema.path("type").asText();
        boolean numeric = ("integer".equals(type) && value.matches("-?\\d+"))
            || ("number".equals(type) && value.matches("-?\\d+(\\.\\d+)?"));
        return numeric ? value : TextNode.valueOf(value).toString();
    }

    private List<String> mismatches(String what, String schemaPointer, JsonNode value) {
        try {
            return schema(schemaPointer).validate(value.toString(), InputFormat.JSON).stream()
                .map(error -> what + " does not match " + schemaPointer + ": " + error).toList();
        } catch (RuntimeException e) {
            return List.of(what + " cannot be checked: " + schemaPointer + " does not compile: " + e.getMessage());
        }
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(DOCUMENT_URI + "#"
            + fragment(p))));
    }

    /** The schemas to check: each component schema, and each {@code schema} outside the components' schemas. */
    private List<String> schemaPointers() {
        List<String> pointers = new ArrayList<>();
        fieldNames(document.path("components").path("schemas"))
            .forEach(name -> pointers.add("/components/schemas/" + escape(name)));
        walk(document, "", (pointer, node) -> {
            if (!pointer.startsWith("/components/schemas/") && node.path("schema").isObject()) {
                pointers.add(pointer + "/schema");
            }
        });
        return pointers;
    }

    private void forEachOperation(OperationVisitor visitor) {
        document.path("paths").properties().forEach(path -> {
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null) {
                    visitor.visit("/paths/" + escape(path.getKey()) + "/" + method, operation);
                }
            }
        });
    }

    /** Receives one operation. */
    private interface OperationVisitor {
        void visit(String pointer, JsonNode operation);
    }

    /** Receives every object node of the document with its pointer. */
    private interface NodeVisitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, NodeVisitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            node.properties().forEach(entry -> walk(entry.getValue(), pointer + "/" + escape(entry.getKey()),
                visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    /** The component kind a {@code $ref} at this place must name, from the keys that lead to it. */
    private static String expectedKind(String pointer) {
        String[] tokens = pointer.split("/");
        String parent = tokens.length >= 3 ? tokens[tokens.length - 2] : "";
        String last = tokens.length >= 2 ? tokens[tokens.length - 1] : "";
        boolean named = !last.matches("\\d+");
        if ("responses".equals(parent)) {
            return "responses";
        }
        if ("parameters".equals(parent) && !named) {
            return "parameters";
        }
        if ("headers".equals(parent) && named) {
            return "headers";
        }
        if ("examples".equals(parent) && named) {
            return "examples";
        }
        if ("requestBody".equals(last)) {
            return "requestBodies";
        }
        return "schemas";
    }

    private static void checkSecurity(JsonNode requirements, String pointer, Set<String> schemes,
        List<String> problems) {
        for (int i = 0; i < requirements.size(); i++) {
            for (String name : fieldNames(requirements.get(i))) {
                if (!schemes.contains(name)) {
                    problems.add(pointer + "/" + i + ": names security scheme " + name + ", which does not exist");
                }
            }
        }
    }

    private void addAll(List<Located> into, String pointer, JsonNode parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            into.add(followRef(pointer + "/" + i, parameters.get(i)));
        }
    }

    /** The node itself, or the component its {@code $ref} names, with the pointer where it really is. */
    private Located followRef(String pointer, JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual() && ref.textValue().startsWith("#/")) {
            return new Located(ref.textValue().substring(1), resolve(ref.textValue()));
        }
        return new Located(pointer, node);
    }

    private JsonNode resolve(String ref) {
        return document.at(JsonPointer.compile(ref.substring(1)));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A JSON pointer token: {@code ~} and {@code /} escaped. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: characters a fragment may not hold (such as braces) percent-encoded. */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String shown(String body) {
        return body.length() <= SHOWN_BODY ? body : body.substring(0, SHOWN_BODY) + "...";
    }
}
