package dev.scimonboard.devtools.host;

import com.microsoft.azure.functions.ExecutionContext;

import java.util.UUID;
import java.util.logging.Logger;

/**
 * The execution context of one invocation. Its logger is named {@code Function.<name>}, the category the Functions
 * host gives function logs, so log lines show which function wrote them.
 */
public final class LocalExecutionContext implements ExecutionContext {

    private final String functionName;
    private final String invocationId;

    /**
     * Creates the context of a new invocation with a fresh invocation id.
     *
     * @param functionName the function's name
     */
    public LocalExecutionContext(String functionName) {
        this.functionName = functionName;
        this.invocationId = UUID.randomUUID().toString();
    }

    /**
     * The logger of a function, the same one its execution context hands out.
     *
     * @param functionName the function's name
     * @return the logger named {@code Function.<name>}
     */
    public static Logger loggerOf(String functionName) {
        return Logger.getLogger("Function." + functionName);
    }

    @Override
    public Logger getLogger() {
        return loggerOf(functionName);
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
