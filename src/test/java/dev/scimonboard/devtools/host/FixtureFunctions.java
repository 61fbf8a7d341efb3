package dev.scimonboard.devtools.host;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tiny functions the local host tests bind through synthetic function.json files. Queue functions record every
 * attempt in {@link #ATTEMPTS}, keyed by message text, so each test reads only its own messages.
 */
public class FixtureFunctions {

    /** Every queue invocation, in order. */
    public static final Queue<Attempt> ATTEMPTS = new ConcurrentLinkedQueue<>();

    /** Every timer invocation, in order. */
    public static final Queue<Tick> TICKS = new ConcurrentLinkedQueue<>();

    /** Invocations of {@link #slowTick} running right now. */
    public static final AtomicInteger SLOW_TICKS_RUNNING = new AtomicInteger();

    /** The most invocations of {@link #slowTick} seen running at once. */
    public static final AtomicInteger SLOW_TICKS_PEAK = new AtomicInteger();

    /** Invocations of {@link #slow} running right now, and the most seen at once. */
    public static final AtomicInteger SLOW_RUNNING = new AtomicInteger();

    /** The most invocations of {@link #slow} seen running at once. */
    public static final AtomicInteger SLOW_PEAK = new AtomicInteger();

    /**
     * One queue invocation as the function saw it.
     *
     * @param text the decoded message text (or a description of the bound object)
     * @param dequeueCount the DequeueCount metadata
     * @param messageId the Id metadata
     * @param at when the invocation started
     */
    public record Attempt(String text, long dequeueCount, String messageId, Instant at) {
    }

    /**
     * One timer invocation as the function saw it.
     *
     * @param function the function name, which each test makes unique
     * @param timerInfo the timer information text
     * @param at when the invocation started
     */
    public record Tick(String function, String timerInfo, Instant at) {
    }

    /**
     * A queue message bound from JSON.
     *
     * @param accountId an account id
     * @param step a step number
     */
    public record StepMessage(String accountId, int step) {
    }

    /**
     * Answers with what it received, so tests can see the binding.
     *
     * @param request the request
     * @param id the {id} route parameter
     * @param part the optional {part?} route parameter
     * @param context the execution context
     * @return 200 with a JSON echo
     */
    @FunctionName("echo")
    public HttpResponseMessage echo(
        @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.PUT}, route = "items/{id}/{part?}",
            authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
        @BindingName("id") String id,
        @BindingName("part") String part,
        ExecutionContext context) {
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("function", context.getFunctionName());
        echo.put("invocationId", context.getInvocationId());
        echo.put("logger", context.getLogger().getName());
        echo.put("id", id);
        echo.put("part", part);
        echo.put("method", request.getHttpMethod().name());
        echo.put("uri", request.getUri().toString());
        echo.put("query", request.getQueryParameters());
        echo.put("custom", request.getHeaders().get("x-custom"));
        echo.put("body", request.getBody().orElse("<none>"));
        context.getLogger().info("echo for id=" + id);
        return request.createResponseBuilder(HttpStatus.OK).header("X-Fixture", "echo").body(echo).build();
    }

    /**
     * A literal route beside {@link #echo}'s parameter route.
     *
     * @param request the request
     * @return 200 "search"
     */
    @FunctionName("search")
    public HttpResponseMessage search(
        @HttpTrigger(name = "req", methods = HttpMethod.GET, route = "items/search",
            authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request) {
        return request.createResponseBuilder(HttpStatus.OK).body("search").build();
    }

    /**
     * A route that needs the function key.
     *
     * @param request the request
     * @return 202 with a Location header
     */
    @FunctionName("secured")
    public HttpResponseMessage secured(
        @HttpTrigger(name = "req", methods = HttpMethod.POST, route = "secured",
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return request.createResponseBuilder(HttpStatus.ACCEPTED).header("Location", "/api/secured/1").build();
    }

    /**
     * Always fails.
     *
     * @param request the request
     * @return never
     */
    @FunctionName("boom")
    public HttpResponseMessage boom(
        @HttpTrigger(name = "req", route = "boom", authLevel = AuthorizationLevel.ANONYMOUS)
        HttpRequestMessage<Optional<String>> request) {
        throw new IllegalStateException("secret detail that must not reach the caller");
    }

    /**
     * A static entry point returning a bare value.
     *
     * @param request the request
     * @param name the {name} route parameter
     * @return a greeting
     */
    @FunctionName("hello")
    public static String hello(
        @HttpTrigger(name = "req", route = "hello/{name:alpha}", authLevel = AuthorizationLevel.ANONYMOUS)
        HttpRequestMessage<String> request,
        @BindingName("name") String name) {
        return "hello " + name + (request.getBody() == null ? "" : " " + request.getBody());
    }

    /**
     * Records the attempt and fails when the text starts with "fail".
     *
     * @param message the message text
     * @param dequeueCount the dequeue count
     * @param id the message id
     * @param context the execution context
     */
    @FunctionName("record")
    public void record(
        @QueueTrigger(name = "message", queueName = "fixture", connection = "AzureWebJobsStorage") String message,
        @BindingName("DequeueCount") long dequeueCount,
        @BindingName("Id") String id,
        ExecutionContext context) {
        ATTEMPTS.add(new Attempt(message, dequeueCount, id, Instant.now()));
        if (message.startsWith("fail")) {
            throw new IllegalStateException("fixture failure for " + message);
        }
    }

    /**
     * Records a message bound from JSON, with a metadata value taken from the JSON itself.
     *
     * @param message the bound message
     * @param accountId the accountId property, as binding data
     * @param dequeueCount the dequeue count as text
     */
    @FunctionName("json")
    public void json(
        @QueueTrigger(name = "message", queueName = "fixture-json", connection = "AzureWebJobsStorage")
        StepMessage message,
        @BindingName("accountId") String accountId,
        @BindingName("DequeueCount") String dequeueCount) {
        ATTEMPTS.add(new Attempt("json " + message.accountId() + " " + message.step() + " " + accountId,
            Long.parseLong(dequeueCount), null, Instant.now()));
    }

    /**
     * Holds each message for a moment, counting how many run at once.
     *
     * @param message the message text
     * @throws InterruptedException never in practice
     */
    @FunctionName("slow")
    public void slow(
        @QueueTrigger(name = "message", queueName = "fixture-slow", connection = "AzureWebJobsStorage")
        String message) throws InterruptedException {
        int now = SLOW_RUNNING.incrementAndGet();
        SLOW_PEAK.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(300);
            ATTEMPTS.add(new Attempt(message, 1, null, Instant.now()));
        } finally {
            SLOW_RUNNING.decrementAndGet();
        }
    }

    /**
     * Records the timer invocation.
     *
     * @param timerInfo the timer information as JSON text
     * @param context the execution context, whose function name tells the tests' timers apart
     */
    @FunctionName("tick")
    public void tick(@TimerTrigger(name = "timer", schedule = "*/1 * * * * *") String timerInfo,
                     ExecutionContext context) {
        TICKS.add(new Tick(context.getFunctionName(), timerInfo, Instant.now()));
    }

    /**
     * Records the timer invocation, then outlasts the one-second interval, counting how many run at once.
     *
     * @param timerInfo the timer information as JSON text
     * @param context the execution context
     * @throws InterruptedException never in practice
     */
    @FunctionName("slowTick")
    public void slowTick(@TimerTrigger(name = "timer", schedule = "*/1 * * * * *") String timerInfo,
                         ExecutionContext context) throws InterruptedException {
        int now = SLOW_TICKS_RUNNING.incrementAndGet();
        SLOW_TICKS_PEAK.accumulateAndGet(now, Math::max);
        try {
            TICKS.add(new Tick(context.getFunctionName(), timerInfo, Instant.now()));
            // Stands for work that takes longer than the schedule's interval.
            Thread.sleep(1_500);
        } finally {
            SLOW_TICKS_RUNNING.decrementAndGet();
        }
    }
}
