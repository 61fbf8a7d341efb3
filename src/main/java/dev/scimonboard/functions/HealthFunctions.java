package dev.scimonboard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.scimonboard.Services;

/** The health check on a timer: records every onboarded account's job status and repairs refused tokens. */
public final class HealthFunctions {

    /**
     * One health check run.
     *
     * @param timerInfo the timer information as JSON text, unused
     * @param context the invocation, whose id names the run in the log
     */
    @FunctionName("CheckJobHealth")
    public void check(@TimerTrigger(name = "timer", schedule = "%HEALTH_CHECK_SCHEDULE%") String timerInfo,
        ExecutionContext context) {
        Services.get().health().run(context.getInvocationId());
    }
}
