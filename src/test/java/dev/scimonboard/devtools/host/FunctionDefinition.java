package dev.scimonboard.devtools.host;

/**
 * One function of the staged app: its folder name, its entry point and its trigger.
 *
 * @param name the function name (the folder that holds function.json)
 * @param className the entry point's class, fully qualified
 * @param methodName the entry point's method
 * @param trigger the trigger binding
 */
public record FunctionDefinition(String name, String className, String methodName, TriggerSpec trigger) {

    /**
     * Names the entry point the way function.json does.
     *
     * @return {@code pkg.Class.method}
     */
    public String entryPoint() {
        return className + "." + methodName;
    }
}
