package dev.scimonboard.devtools.host;

import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the function app from its staging folder without Azure Functions Core Tools, which cannot be installed on
 * machines without general internet access. It reads host.json and every function.json that
 * azure-functions-maven-plugin wrote, serves HTTP triggers on 127.0.0.1 under the route prefix, and polls queue
 * triggers in Azure Storage (Azurite locally) with the Functions host's queue semantics, and runs timer triggers on
 * their NCRONTAB schedules.
 *
 * <p>Deliberate simplifications, acceptable for a development tool: the function classes are loaded by name from
 * this process's own classpath (the context class loader), not from the staged jar and its lib/ folder, so the
 * host must be started with the project's classpath; only httpTrigger, http, queueTrigger and timerTrigger bindings
 * exist (an app with any other binding is refused at start); timer schedules are kept in memory, in UTC, and a
 * timer function whose schedule names an unset app setting is left in error while the others run, as in Azure;
 * function keys are one shared key from
 * {@code LOCAL_FUNCTION_KEY}, and none is asked for when it is unset, as with Core Tools.
 *
 * <p>Command line: {@code LocalHost [--app <staging folder>] [--port <port>]}, defaults
 * {@code target/azure-functions/cf-scim-onboarding} and 7071. App settings come from the environment. The last
 * startup line is {@code local host ready on http://127.0.0.1:<port>}; SIGTERM or Ctrl-C stops it gracefully.
 */
public final class LocalHost implements AutoCloseable {

    /** The text of the last startup line, followed by the base URL; scripts wait for it. */
    public static final String READY_LINE = "local host ready on ";

    /** Where azure-functions-maven-plugin stages the app, relative to the project root. */
    public static final Path DEFAULT_APP = Path.of("target", "azure-functions", "cf-scim-onboarding");

    /** The port Core Tools uses, so URLs in docs work with either. */
    public static final int DEFAULT_PORT = 7071;

    /** How long a stop waits for running invocations before leaving their messages to the lease. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(LocalHost.class.getName());
    private static final String DISABLED_SETTING = "AzureWebJobs.%s.Disabled";

    private final StagedApp app;
    private final HttpFrontDoor http;
    private final List<QueueListener> listeners;
    private final List<TimerListener> timers;
    private final ScheduledExecutorService leaseRenewals;
    private final List<String> summary;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private LocalHost(StagedApp app, HttpFrontDoor http, List<QueueListener> listeners, List<TimerListener> timers,
                      ScheduledExecutorService leaseRenewals, List<String> summary) {
        this.app = app;
        this.http = http;
        this.listeners = List.copyOf(listeners);
        this.timers = List.copyOf(timers);
        this.leaseRenewals = leaseRenewals;
        this.summary = List.copyOf(summary);
    }

    /**
     * Reads the staging folder, binds every function and starts serving and polling.
     *
     * @param appDirectory the staging folder
     * @param port the HTTP port on 127.0.0.1, or 0 for any free port
     * @param settingOverrides app settings that take precedence over the environment (tests pass the storage
     *     connection string and function key here); the functions themselves still read the environment
     * @return the running host
     * @throws AppDefinitionException when the app cannot be hosted as staged
     * @throws IOException when the port cannot be bound
     * @throws IllegalStateException when a trigger queue's storage account cannot be reached
     */
    public static LocalHost start(Path appDirectory, int port, Map<String, String> settingOverrides)
        throws IOException {
        Map<String, String> overrides = Map.copyOf(settingOverrides);
        UnaryOperator<String> settings = name -> overrides.containsKey(name) ? overrides.get(name)
            : System.getenv(name);
        StagedApp app = StagedApp.load(appDirectory, settings);
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : LocalHost.class.getClassLoader();

        // Every entry point is checked before anything is bound, so a broken app fails whole and at once.
        Map<FunctionDefinition, EntryPoint> entryPoints = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        for (FunctionDefinition function : app.functions()) {
            if ("true".equalsIgnoreCase(settings.apply(String.format(DISABLED_SETTING, function.name())))) {
                summary.add("  " + function.name() + ": disabled by app setting");
                continue;
            }
            entryPoints.put(function, EntryPoint.resolve(function, loader));
        }

        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        HttpFrontDoor http = new HttpFrontDoor(port, app.routePrefix(), settings, json);
        ScheduledExecutorService leaseRenewals = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lease-renewals");
            thread.setDaemon(true);
            return thread;
        });
        List<QueueListener> listeners = new ArrayList<>();
        List<TimerListener> timers = new ArrayList<>();
        Map<String, QueueServiceClient> accounts = new HashMap<>();
        try {
            for (Map.Entry<FunctionDefinition, EntryPoint> entry : entryPoints.entrySet()) {
                FunctionDefinition function = entry.getKey();
                if (function.trigger() instanceof TriggerSpec.Http trigger) {
                    http.add(function, trigger, entry.getValue());
                    summary.add("  " + function.name() + ": " + methods(trigger) + " " + http.urlOf(trigger)
                        + " (authLevel " + trigger.authLevel() + ")");
                } else if (function.trigger() instanceof TriggerSpec.Queue trigger) {
                    QueueServiceClient account = accounts.computeIfAbsent(
                        connectionString(function, trigger, settings), LocalHost::queueService);
                    listeners.add(new QueueListener(function, trigger, entry.getValue(), app.queueOptions(),
                        account.getQueueClient(trigger.queueName()),
                        account.getQueueClient(trigger.queueName() + "-poison"), leaseRenewals, json));
                    summary.add("  " + function.name() + ": queue " + trigger.queueName()
                        + " (connection " + trigger.connection() + ")");
                } else if (function.trigger() instanceof TriggerSpec.Timer trigger) {
                    if (trigger.problem() != null) {
                        LOG.severe("The function '" + function.name() + "' is in error and will not run: "
                            + trigger.problem());
                        summary.add("  " + function.name() + ": in error (" + trigger.problem() + ")");
                        continue;
                    }
                    timers.add(new TimerListener(function, trigger, entry.getValue(), json, Clock.systemUTC()));
                    summary.add("  " + function.name() + ": timer " + trigger.schedule()
                        + (trigger.runOnStartup() ? " (runOnStartup)" : ""));
                }
            }
            LocalHost host = new LocalHost(app, http, listeners, timers, leaseRenewals, summary);
            host.begin();
            return host;
        } catch (RuntimeException e) {
            http.stop(0);
            leaseRenewals.shutdownNow();
            throw e;
        }
    }

    /**
     * Creates the trigger queues, opens the HTTP port, prints the summary and the ready line, then polls and starts
     * the timers; a timer that runs on startup runs after the ready line, as the host runs it once started.
     */
    private void begin() {
        for (QueueListener listener : listeners) {
            try {
                listener.start();
            } catch (RuntimeException e) {
                listeners.forEach(started -> started.stop(Duration.ZERO));
                throw new IllegalStateException("cannot reach the storage account of a queue trigger: " + e
                    + " (is Azurite running, and does the connection setting point at it?)", e);
            }
        }
        http.start();
        LOG.info("Functions:");
        summary.forEach(LOG::info);
        LOG.info(READY_LINE + baseUri());
        timers.forEach(TimerListener::start);
    }

    /**
     * The bound HTTP port.
     *
     * @return the port, useful when 0 was asked for
     */
    public int port() {
        return http.port();
    }

    /**
     * The root URL; HTTP functions are below it under the route prefix.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * The app as read from its staging folder.
     *
     * @return the staged app
     */
    public StagedApp app() {
        return app;
    }

    /**
     * One line per function with its trigger, as printed at start.
     *
     * @return the summary lines
     */
    public List<String> summary() {
        return summary;
    }

    /**
     * Stops serving and polling, waiting up to {@link #STOP_GRACE} for running invocations. Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("local host stopping");
        // Timers first: no new invocation may start while the rest winds down.
        timers.forEach(timer -> timer.stop(STOP_GRACE));
        http.stop(1);
        listeners.forEach(listener -> listener.stop(STOP_GRACE));
        leaseRenewals.shutdownNow();
        LOG.info("local host stopped");
        stopped.countDown();
    }

    /**
     * Starts the host from the command line and runs until SIGTERM or Ctrl-C.
     *
     * @param args {@code [--app <staging folder>] [--port <port>]}
     */
    public static void main(String[] args) {
        Path appDirectory = DEFAULT_APP;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--app") || arg.equals("--port")) && i + 1 < args.length) {
                String value = args[++i];
                if (arg.equals("--app")) {
                    appDirectory = Path.of(value);
                } else {
                    port = parsePort(value);
                }
            } else {
                System.err.println("usage: LocalHost [--app <staging folder>] [--port <port>]");
                System.exit(arg.equals("--help") || arg.equals("-h") ? 0 : 64);
            }
        }

        LogLines.install(Level.INFO);
        LocalHost host;
        try {
            host = start(appDirectory, port, Map.of());
        } catch (AppDefinitionException | IllegalStateException | IOException e) {
            LOG.severe("local host cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        StopSignals.install(host);
        try {
            host.stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    /** The connection string behind a trigger's connection setting, looked up the way the Functions host does. */
    private static String connectionString(FunctionDefinition function, TriggerSpec.Queue trigger,
                                           UnaryOperator<String> settings) {
        String name = trigger.connection();
        String value = settings.apply(name);
        if (value == null || value.isBlank()) {
            value = settings.apply("AzureWebJobs" + name);
        }
        if (value == null || value.isBlank()) {
            boolean identityBased = settings.apply(name + "__queueServiceUri") != null
                || settings.apply(name + "__serviceUri") != null;
            throw new AppDefinitionException("function " + function.name() + ": the queue trigger's connection setting "
                + name + (identityBased ? " is identity-based, which the local host does not support"
                : " is not set") + "; set it to UseDevelopmentStorage=true or an Azurite connection string");
        }
        return value;
    }

    /** A queue service client that gives up quickly, so a stopped Azurite shows in the log within seconds. */
    private static QueueServiceClient queueService(String connectionString) {
        return new QueueServiceClientBuilder()
            .connectionString(connectionString)
            .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, Duration.ofSeconds(30),
                Duration.ofMillis(200), Duration.ofSeconds(2), null))
            .buildClient();
    }

    private static String methods(TriggerSpec.Http trigger) {
        return trigger.methods().isEmpty() ? "[all methods]"
            : trigger.methods().stream().sorted().toList().toString().toUpperCase(Locale.ROOT).replace(" ", "");
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.println("--port needs a number from 0 to 65535, not " + value);
            System.exit(64);
            return -1;
        }
    }
}
