package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of the local host: routes requests under the route prefix to HTTP-triggered functions, checks the
 * function key, binds the request and writes the function's response back.
 */
final class HttpFrontDoor {

    /** The setting that, when set, makes "function" and "admin" routes demand this key, as a deployed app does. */
    static final String FUNCTION_KEY_SETTING = "LOCAL_FUNCTION_KEY";

    private static final Logger LOG = Logger.getLogger(HttpFrontDoor.class.getName());
    private static final String GENERIC_ERROR = "Internal Server Error: the function failed; see the local host log";

    private final String routePrefix;
    private final List<Route> routes;
    private final UnaryOperator<String> settings;
    private final ObjectMapper json;
    private final ParameterValues values;
    private final HttpServer server;
    private final ExecutorService executor;

    /** One HTTP-triggered function with its compiled route. */
    private record Route(FunctionDefinition function, TriggerSpec.Http trigger, RouteTemplate template,
                         EntryPoint entryPoint) {
    }

    /** A route that matched the path, with the route parameters it found. */
    private record Match(Route route, Map<String, String> parameters) {
    }

    /**
     * Binds the server socket; requests are served once {@link #start()} is called.
     *
     * @param port the port on 127.0.0.1, or 0 for any free port
     * @param routePrefix the route prefix without slashes, possibly empty
     * @param settings app settings by name
     * @param json the mapper for JSON bodies
     * @throws IOException when the port cannot be bound
     */
    HttpFrontDoor(int port, String routePrefix, UnaryOperator<String> settings, ObjectMapper json)
        throws IOException {
        this.routePrefix = routePrefix;
        this.routes = new ArrayList<>();
        this.settings = settings;
        this.json = json;
        this.values = new ParameterValues(json);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Adds an HTTP-triggered function.
     *
     * @param function the function
     * @param trigger its trigger
     * @param entryPoint its checked entry point
     */
    void add(FunctionDefinition function, TriggerSpec.Http trigger, EntryPoint entryPoint) {
        routes.add(new Route(function, trigger, RouteTemplate.parse(trigger.route()), entryPoint));
    }

    /**
     * The URL at which a route template is served, for the startup summary.
     *
     * @param trigger the trigger
     * @return the URL with the template's placeholders as written
     */
    String urlOf(TriggerSpec.Http trigger) {
        String prefix = routePrefix.isEmpty() ? "" : routePrefix + "/";
        return "http://127.0.0.1:" + port() + "/" + prefix + trigger.route();
    }

    /** Starts serving. */
    void start() {
        server.start();
    }

    /**
     * The bound port.
     *
     * @return the port, useful when 0 was asked for
     */
    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops accepting requests and gives running ones a moment to answer.
     *
     * @param graceSeconds how long to wait for running exchanges
     */
    void stop(int graceSeconds) {
        server.stop(graceSeconds);
        executor.shutdownNow();
    }

    /** Serves one exchange; whatever goes wrong, the client gets an answer and the exchange is closed. */
    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = readAll(exchange.getRequestBody());
            dispatch(exchange, body);
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.SEVERE, "local host failed to serve " + exchange.getRequestURI(), e);
            try {
                send(exchange, 500, Map.of(), GENERIC_ERROR);
            } catch (IOException | RuntimeException ignored) {
                // The response was already under way; the client sees a cut connection, which is the best left.
                LOG.fine("could not send the 500 answer");
            }
        }
    }

    private void dispatch(HttpExchange exchange, byte[] body) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String relative = belowPrefix(exchange.getRequestURI().getPath());
        List<Match> matches = new ArrayList<>();
        if (relative != null) {
            for (Route route : routes) {
                route.template().match(relative).ifPresent(parameters -> matches.add(new Match(route, parameters)));
            }
        }
        if (matches.isEmpty()) {
            send(exchange, 404, Map.of(), null);
            return;
        }

        List<Match> allowed = matches.stream()
            .filter(match -> match.route().trigger().methods().isEmpty()
                || match.route().trigger().methods().contains(method))
            .toList();
        if (allowed.isEmpty()) {
            TreeSet<String> allow = new TreeSet<>();
            matches.forEach(match -> allow.addAll(match.route().trigger().methods()));
            send(exchange, 405, Map.of("Allow", String.join(", ", allow)), null);
            return;
        }
        Match match = allowed.stream()
            .max(Comparator.comparingInt(candidate -> candidate.route().template().literalLength()))
            .orElseThrow();

        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = headers(exchange);
        if (match.route().trigger().needsKey() && !keyAccepted(headers, query)) {
            send(exchange, 401, Map.of(), null);
            return;
        }
        invoke(exchange, match, method, headers, query, body);
    }

    private void invoke(HttpExchange exchange, Match match, String method, Map<String, String> headers,
                        Map<String, String> query, byte[] body) throws IOException {
        FunctionDefinition function = match.route().function();
        LocalExecutionContext context = new LocalExecutionContext(function.name());
        Logger log = context.getLogger();
        URI uri = requestUri(exchange);
        String text = body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
        log.info(() -> "Executing 'Functions." + function.name() + "' (Reason='" + method + " " + uri.getRawPath()
            + "', Id=" + context.getInvocationId() + ")");
        long started = System.nanoTime();

        Object result;
        try {
            result = match.route().entryPoint().invoke(context, (parameter, bindingName) -> {
                if (bindingName != null) {
                    String value = match.parameters().getOrDefault(bindingName, query.get(bindingName));
                    return values.fromMetadata(value, parameter.getType());
                }
                Object requestBody = values.fromText(text, bodyType(parameter.getParameterizedType()));
                return new LocalHttpRequest<>(uri, HttpMethod.value(method), headers, query, requestBody);
            });
        } catch (Exception | Error e) {
            log.log(Level.SEVERE, "Executed 'Functions." + function.name() + "' (Failed, Id="
                + context.getInvocationId() + ", Duration=" + millisSince(started) + "ms)", e);
            send(exchange, 500, Map.of(), GENERIC_ERROR);
            return;
        }
        log.info(() -> "Executed 'Functions." + function.name() + "' (Succeeded, Id=" + context.getInvocationId()
            + ", Duration=" + millisSince(started) + "ms)");
        writeResult(exchange, result);
    }

    /** Writes what the function returned: a response message, or a bare value as a 200 like the Java worker. */
    private void writeResult(HttpExchange exchange, Object result) throws IOException {
        if (result == null) {
            send(exchange, 204, Map.of(), null);
        } else if (result instanceof LocalHttpResponse response) {
            send(exchange, response.getStatusCode(), response.headers(), response.getBody());
        } else if (result instanceof HttpResponseMessage response) {
            Map<String, String> headers = new LinkedHashMap<>();
            String contentType = response.getHeader("Content-Type");
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            send(exchange, response.getStatusCode(), headers, response.getBody());
        } else {
            send(exchange, 200, Map.of(), result);
        }
    }

    private void send(HttpExchange exchange, int status, Map<String, String> headers, Object body)
        throws IOException {
        byte[] bytes;
        String defaultType;
        if (body == null) {
            bytes = new byte[0];
            defaultType = null;
        } else if (body instanceof byte[] raw) {
            bytes = raw;
            defaultType = "application/octet-stream";
        } else if (body instanceof CharSequence chars) {
            bytes = chars.toString().getBytes(StandardCharsets.UTF_8);
            defaultType = "text/plain; charset=utf-8";
        } else {
            bytes = json.writeValueAsBytes(body);
            defaultType = "application/json; charset=utf-8";
        }
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (defaultType != null && !exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", defaultType);
        }
        boolean noBody = status == 204 || status == 304 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        if (noBody || bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Checks the key a "function" or "admin" route needs; with no key configured every caller is let in. */
    private boolean keyAccepted(Map<String, String> headers, Map<String, String> query) {
        String expected = settings.apply(FUNCTION_KEY_SETTING);
        if (expected == null || expected.isEmpty()) {
            return true;
        }
        String given = headers.getOrDefault("x-functions-key", query.get("code"));
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            given.getBytes(StandardCharsets.UTF_8));
    }

    /** The path below the route prefix without slashes at either end, or null when it is not below it. */
    private String belowPrefix(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        if (routePrefix.isEmpty()) {
            return trimmed;
        }
        if (trimmed.equalsIgnoreCase(routePrefix)) {
            return "";
        }
        String prefix = routePrefix + "/";
        return trimmed.regionMatches(true, 0, prefix, 0, prefix.length()) ? trimmed.substring(prefix.length()) : null;
    }

    private URI requestUri(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String authority = host == null ? "127.0.0.1:" + port() : host;
        return URI.create("http://" + authority + exchange.getRequestURI().toString());
    }

    /** The body type inside {@code HttpRequestMessage<T>}; a raw declaration gets {@code Optional<String>}. */
    private static Type bodyType(Type declared) {
        if (declared instanceof ParameterizedType parameterized) {
            return parameterized.getActualTypeArguments()[0];
        }
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {String.class};
            }

            @Override
            public Type getRawType() {
                return Optional.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        };
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, list) ->
            headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", list)));
        return headers;
    }

    /** Decoded query parameters; a name given twice gets its values joined by commas, as ASP.NET does. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            query.merge(name, value, (first, second) -> first + "," + second);
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
