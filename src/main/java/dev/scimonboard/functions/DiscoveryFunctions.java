package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.scimonboard.Services;

/**
 * Account discovery on a timer: onboards the Cloudflare accounts whose names match a pattern and that have never
 * been onboarded. Off unless {@code DISCOVERY_ACCOUNT_NAME_PATTERN} is set; the schedule setting must exist all the
 * same, because the Functions host resolves it before anything runs.
 */
public final class DiscoveryFunctions {

    /**
     * One discovery run. A run that Cloudflare's rate limit cuts short ends cleanly; the next run starts over.
     *
     * @param timerInfo the timer information as JSON text, unused
     * @param context the invocation, whose id names the run in the log
     */
    @FunctionName("DiscoverAccounts")
    public void discoverAccounts(
        @TimerTrigger(name = "timer", schedule = "%DISCOVERY_SCHEDULE%") String timerInfo, ExecutionContext context) {
        Services.get().discovery().run(context.getInvocationId());
    }
}
