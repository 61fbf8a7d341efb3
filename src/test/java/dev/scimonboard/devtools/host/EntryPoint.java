package dev.scimonboard.devtools.host;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function's entry point method, found by reflection and checked once at start: every parameter must be the
 * trigger, a {@code @BindingName} value or the {@link ExecutionContext}, because the local host has no other
 * bindings to offer.
 */
final class EntryPoint {

    /** Supplies the value of a trigger or {@code @BindingName} parameter for one invocation. */
    @FunctionalInterface
    interface Arguments {

        /**
         * The value for a parameter.
         *
         * @param parameter the parameter
         * @param bindingName the {@code @BindingName} value, or null for the trigger parameter
         * @return the value, possibly null
         * @throws Exception when the value cannot be bound, which fails the invocation as in Azure
         */
        Object valueFor(Parameter parameter, String bindingName) throws Exception;
    }

    private final FunctionDefinition function;
    private final Method method;
    private final List<Parameter> parameters;

    private EntryPoint(FunctionDefinition function, Method method) {
        this.function = function;
        this.method = method;
        this.parameters = List.of(method.getParameters());
    }

    /**
     * Finds and checks the entry point named in function.json.
     *
     * @param function the function
     * @param loader where the function classes are
     * @return the entry point
     * @throws AppDefinitionException when the class or method is missing or a parameter cannot be bound
     */
    static EntryPoint resolve(FunctionDefinition function, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(function.className(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AppDefinitionException("function " + function.name() + ": class " + function.className()
                + " is not on the local host's classpath (" + e + ")", e);
        }
        List<Method> candidates = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.getName().equals(function.methodName())) {
                candidates.add(method);
            }
        }
        if (candidates.size() > 1) {
            // Overloads are legal Java; the one carrying the function's name is the one the plugin described.
            candidates.removeIf(method -> !function.name().equals(functionName(method)));
        }
        if (candidates.size() != 1) {
            throw new AppDefinitionException("function " + function.name() + ": " + function.entryPoint()
                + (candidates.isEmpty() ? " is not a public method" : " is overloaded ambiguously"));
        }
        Method method = candidates.get(0);
        if (!Modifier.isStatic(method.getModifiers())) {
            try {
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new AppDefinitionException("function " + function.name() + ": " + type.getName()
                    + " needs a public no-argument constructor", e);
            }
        }
        EntryPoint entryPoint = new EntryPoint(function, method);
        entryPoint.checkParameters();
        return entryPoint;
    }

    /**
     * Calls the method on a new instance (or statically), as the Java worker does for each invocation.
     *
     * @param context the invocation's context
     * @param arguments the trigger and binding values
     * @return what the method returned
     * @throws Exception whatever the method or argument binding threw, unwrapped
     */
    Object invoke(ExecutionContext context, Arguments arguments) throws Exception {
        Object[] values = new Object[parameters.size()];
        for (int i = 0; i < values.length; i++) {
            Parameter parameter = parameters.get(i);
            if (ExecutionContext.class.equals(parameter.getType())) {
                values[i] = context;
            } else {
                BindingName bindingName = parameter.getAnnotation(BindingName.class);
                values[i] = arguments.valueFor(parameter, bindingName == null ? null : bindingName.value());
            }
        }
        try {
            Object target = Modifier.isStatic(method.getModifiers())
                ? null : method.getDeclaringClass().getConstructor().newInstance();
            return method.invoke(target, values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * The method, for messages and tests.
     *
     * @return the reflected method
     */
    Method method() {
        return method;
    }

    /** Refuses parameters that no binding of the local host can fill. */
    private void checkParameters() {
        Class<?> triggerAnnotation = function.trigger() instanceof TriggerSpec.Http ? HttpTrigger.class
            : function.trigger() instanceof TriggerSpec.Queue ? QueueTrigger.class : TimerTrigger.class;
        for (Parameter parameter : parameters) {
            boolean isTrigger = Arrays.stream(parameter.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().equals(triggerAnnotation));
            boolean bound = isTrigger
                || parameter.isAnnotationPresent(BindingName.class)
                || ExecutionContext.class.equals(parameter.getType());
            if (!bound) {
                throw new AppDefinitionException("function " + function.name() + ": parameter " + parameter
                    + " of " + function.entryPoint() + " is neither the @" + triggerAnnotation.getSimpleName()
                    + " parameter, a @BindingName value nor the ExecutionContext, so the local host cannot bind it");
            }
        }
    }

    private static String functionName(Method method) {
        FunctionName name = method.getAnnotation(FunctionName.class);
        return name == null ? null : name.value();
    }
}
