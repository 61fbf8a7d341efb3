package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one timer-triggered function on its NCRONTAB schedule, as the Functions host does on one instance: one
 * invocation at a time, the next occurrence reckoned when the previous invocation ends (so an invocation that
 * outlasts its interval skips the occurrences it covered), and once at start when {@code runOnStartup} is set.
 * The function gets the timer information as the Java worker passes it: JSON text such as
 * {@code {"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":..,"Next":..,"LastUpdated":..},
 * "IsPastDue":false}}. Schedule status is kept in memory, not in storage as the host's schedule monitor does.
 */
final class TimerListener {

    private static final Logger LOG = Logger.getLogger(TimerListener.class.getName());
    /** The "never ran" time the host reports as the last occurrence. */
    private static final Instant NEVER = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();

    private final FunctionDefinition function;
    private final TriggerSpec.Timer trigger;
    private final EntryPoint entryPoint;
    private final ObjectMapper json;
    private final ParameterValues values;
    private final Clock clock;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean stopping;
    private Instant last = NEVER;

    /**
     * Prepares a listener; it runs once {@link #start()} is called.
     *
     * @param function the function
     * @param trigger its timer trigger, with a schedule
     * @param entryPoint its checked entry point
     * @param json the mapper for the timer information
     * @param clock the clock the schedule runs on
     */
    TimerListener(FunctionDefinition function, TriggerSpec.Timer trigger, EntryPoint entryPoint, ObjectMapper json,
                  Clock clock) {
        this.function = function;
        this.trigger = trigger;
        this.entryPoint = entryPoint;
        this.json = json;
        this.values = new ParameterValues(json);
        this.clock = clock;
        this.thread = new Thread(this::run, "timer-" + function.name());
        this.thread.setDaemon(true);
    }

    /** Starts the schedule. */
    void start() {
        thread.start();
    }

    /**
     * Stops the schedule and waits for a running invocation; one still running after the grace period is left to
     * finish on its own.
     *
     * @param grace how long to wait
     */
    void stop(Duration grace) {
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning(() -> "an invocation of " + function.name() + " is still running at stop");
        }
    }

    private void run() {
        if (trigger.runOnStartup() && !stopping) {
            invoke("Timer fired at startup (runOnStartup)", clock.instant());
        }
        while (!stopping) {
            Instant due = trigger.schedule().next(clock.instant());
            if (!waitUntil(due)) {
                return;
            }
            invoke("Timer fired at " + due, due);
        }
    }

    /** Waits for a time; false when stopped first. */
    private boolean waitUntil(Instant due) {
        synchronized (signal) {
            while (!stopping) {
                long millis = Duration.between(clock.instant(), due).toMillis();
                if (millis <= 0) {
                    return true;
                }
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    private void invoke(String reason, Instant occurrence) {
        Instant next = trigger.schedule().next(occurrence);
        String timerInfo = timerInfo(next, clock.instant());
        last = occurrence;

        LocalExecutionContext context = new LocalExecutionContext(function.name());
        Logger log = context.getLogger();
        log.info(() -> "Executing 'Functions." + function.name() + "' (Reason='" + reason + "', Id="
            + context.getInvocationId() + ")");
        long started = System.nanoTime();
        try {
            entryPoint.invoke(context, (parameter, bindingName) -> bindingName == null
                ? values.fromText(timerInfo, parameter.getParameterizedType()) : null);
        } catch (Exception | Error e) {
            // A failed timer invocation is not retried: the next occurrence runs as scheduled.
            log.log(Level.SEVERE, "Executed 'Functions." + function.name() + "' (Failed, Id="
                + context.getInvocationId() + ", Duration=" + millisSince(started) + "ms)", e);
            return;
        }
        log.info(() -> "Executed 'Functions." + function.name() + "' (Succeeded, Id=" + context.getInvocationId()
            + ", Duration=" + millisSince(started) + "ms)");
    }

    /** The timer information, with the property names the Functions host gives it. */
    private String timerInfo(Instant next, Instant now) {
        ObjectNode info = json.createObjectNode();
        info.putObject("Schedule").put("AdjustForDST", true);
        ObjectNode status = info.putObject("ScheduleStatus");
        status.put("Last", OffsetDateTime.ofInstant(last, ZoneOffset.UTC).toString());
        status.put("Next", OffsetDateTime.ofInstant(next, ZoneOffset.UTC).toString());
        status.put("LastUpdated", OffsetDateTime.ofInstant(now, ZoneOffset.UTC).toString());
        info.put("IsPastDue", false);
        return info.toString();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
