package dev.scimonboard.devtools.host;

import java.util.Set;

/**
 * The trigger binding of one function, as read from its function.json.
 */
public sealed interface TriggerSpec permits TriggerSpec.Http, TriggerSpec.Queue, TriggerSpec.Timer {

    /**
     * The binding name, which the function's annotated parameter carries too.
     *
     * @return the {@code name} of the trigger binding
     */
    String name();

    /**
     * An {@code httpTrigger} binding.
     *
     * @param name the binding name
     * @param authLevel "anonymous", "function" or "admin", lower case
     * @param methods the allowed methods in upper case; empty when every method is allowed
     * @param route the route template below the route prefix, without leading or trailing slash
     */
    record Http(String name, String authLevel, Set<String> methods, String route) implements TriggerSpec {

        /**
         * Tells whether a caller needs a function key, as the Functions host does for every level but anonymous.
         *
         * @return true for the "function" and "admin" levels
         */
        public boolean needsKey() {
            return !"anonymous".equals(authLevel);
        }
    }

    /**
     * A {@code queueTrigger} binding.
     *
     * @param name the binding name
     * @param queueName the queue to poll, with {@code %setting%} expressions already resolved
     * @param connection the name of the setting that holds the storage connection string
     */
    record Queue(String name, String queueName, String connection) implements TriggerSpec {
    }

    /**
     * A {@code timerTrigger} binding.
     *
     * @param name the binding name
     * @param schedule the schedule with {@code %setting%} expressions resolved, or null when its setting is unset
     * @param runOnStartup whether the function also runs once when the host starts
     * @param problem why the function cannot run (its schedule's app setting is not set), or null when it can
     */
    record Timer(String name, NcrontabSchedule schedule, boolean runOnStartup, String problem) implements TriggerSpec {
    }
}
