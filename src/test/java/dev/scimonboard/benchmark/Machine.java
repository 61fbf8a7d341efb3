package dev.scimonboard.benchmark;

import static dev.scimonboard.devtools.load.Waits.pause;
import static dev.scimonboard.devtools.load.Waits.say;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The machine a measurement runs on, and how busy it is: figures measured on a shared machine mean little without
 * its load average, so every report carries it, and a measurement waits a while for the load to drop first.
 */
public final class Machine {
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    private static final Path MEMORY = Path.of("/proc/meminfo");
    private static final Path CPU = Path.of("/proc/cpuinfo");
    private static final double KIB_PER_GIB = 1024.0 * 1024.0;

    private Machine() {
    }

    /**
     * The 1-, 5- and 15-minute load averages.
     *
     * @return such as {@code 0.94 0.80 0.85}, or {@code unknown} where /proc/loadavg cannot be read
     */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(LOAD_AVERAGE).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The 1-minute load average.
     *
     * @return the load, or NaN where it cannot be read
     */
    public static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Waits until the 1-minute load average is below {@code maxLoad}, checking up to {@code checks} times
     * {@code interval} apart; then goes on whatever the load, since the figures carry it.
     *
     * @param maxLoad the load to wait for
     * @param checks how many times to look before going on anyway
     * @param interval the wait between looks
     * @return whether the load was below {@code maxLoad} when the wait ended
     */
    public static boolean awaitLoadBelow(double maxLoad, int checks, Duration interval) {
        for (int check = 1; ; check++) {
            double load = load1();
            if (!(load >= maxLoad)) {
                say("1-minute load average " + load + " is below " + maxLoad + "; measuring");
                return true;
            }
            if (check >= checks) {
                say("1-minute load average " + load + " is still " + maxLoad + " or more after " + checks
                    + " looks; measuring anyway (the figures carry the load)");
                return false;
            }
            say("1-minute load average " + load + " is " + maxLoad + " or more (another build?); looking again in "
                + interval.toSeconds() + " s (" + check + "/" + checks + ")");
            pause(interval);
        }
    }

    /**
     * What the machine is: processors, memory, Java, operating system, and the load average now.
     *
     * @return the description as JSON
     */
    public static ObjectNode describe() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("processors", Runtime.getRuntime().availableProcessors());
        json.put("cpuModel", cpuModel());
        json.put("memoryGiB", memoryGiB("MemTotal"));
        json.put("memoryAvailableGiB", memoryGiB("MemAvailable"));
        json.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        json.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        json.put("loadAverage", loadAverage());
        return json;
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(CPU);
            return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double memoryGiB(String field) {
        try {
            for (String line : Files.readAllLines(MEMORY)) {
                if (line.startsWith(field + ":")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Double.parseDouble(String.format(Locale.ROOT, "%.1f", kib / KIB_PER_GIB));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
