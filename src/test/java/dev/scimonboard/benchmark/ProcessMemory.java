package dev.scimonboard.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a process uses, read from Linux's {@code /proc/<pid>/status} (resident set now and at its peak), and
 * the Java heap in use, asked of the JVM with {@code jcmd <pid> GC.heap_info}.
 *
 * @param rssKib the resident set size now (VmRSS), in KiB
 * @param peakRssKib the largest resident set size since the process started (VmHWM), in KiB
 */
public record ProcessMemory(long rssKib, long peakRssKib) {
    private static final Pattern STATUS_FIELD = Pattern.compile("^(VmRSS|VmHWM):\\s+(\\d+) kB", Pattern.MULTILINE);
    /** The whole heap's line of GC.heap_info, such as {@code garbage-first heap total 262144K, used 39012K}. */
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K");
    private static final long JCMD_TIMEOUT_SECONDS = 30;

    /**
     * Reads a process's resident set sizes.
     *
     * @param pid the process
     * @return the sizes, or empty when the process has gone
     */
    public static Optional<ProcessMemory> read(long pid) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            long rss = -1;
            long hwm = -1;
            Matcher matcher = STATUS_FIELD.matcher(status);
            while (matcher.find()) {
                long kib = Long.parseLong(matcher.group(2));
                if ("VmRSS".equals(matcher.group(1))) {
                    rss = kib;
                } else {
                    hwm = kib;
                }
            }
            return rss < 0 ? Optional.empty() : Optional.of(new ProcessMemory(rss, hwm));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The Java heap a JVM uses now, live objects and garbage not yet collected, asked with jcmd from this JVM's
     * JDK.
     *
     * @param pid the JVM's process
     * @return the heap in use in KiB, or empty when jcmd cannot tell
     */
    public static OptionalLong heapUsedKib(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return OptionalLong.empty();
            }
            Matcher matcher = HEAP_USED.matcher(output);
            return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /**
     * KiB as MiB, rounded to one decimal.
     *
     * @param kib the amount in KiB
     * @return the amount in MiB
     */
    public static double mib(long kib) {
        return Math.round(kib / 102.4) / 10.0;
    }
}
