package dev.scimonboard.benchmark;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's GC log ({@code -Xlog:gc:file=...}) says about its heap: every collection logs the heap in use before
 * and after it and the heap's size, such as {@code GC(7) Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(128M)}.
 * Between collections the heap in use only grows, so the largest "before" figure is the peak heap in use, garbage
 * included, and the largest "after" figure the peak of what survived a collection.
 *
 * @param collections how many collections were logged
 * @param peakUsedKib the most heap in use before a collection, in KiB
 * @param peakLiveKib the most heap in use after a collection, in KiB
 * @param peakCommittedKib the largest heap size, in KiB
 */
public record GcLog(int collections, long peakUsedKib, long peakLiveKib, long peakCommittedKib) {
    private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /**
     * The JVM option that writes the log this class reads.
     *
     * @param file where to write it
     * @return the option
     */
    public static String option(Path file) {
        return "-Xlog:gc:file=" + file.toAbsolutePath();
    }

    /**
     * Reads a GC log.
     *
     * @param file the log
     * @return what it says; all zero when it is missing or holds no collection
     */
    public static GcLog read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return new GcLog(0, 0, 0, 0);
        }
        int collections = 0;
        long used = 0;
        long live = 0;
        long committed = 0;
        for (String line : lines) {
            Matcher heap = HEAP.matcher(line);
            if (heap.find()) {
                collections++;
                used = Math.max(used, kib(heap.group(1), heap.group(2)));
                live = Math.max(live, kib(heap.group(3), heap.group(4)));
                committed = Math.max(committed, kib(heap.group(5), heap.group(6)));
            }
        }
        return new GcLog(collections, used, live, committed);
    }

    /**
     * The figures as JSON, in MiB.
     *
     * @return {@code {collections, peakUsedMiB, peakLiveMiB, peakCommittedMiB}}
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("collections", collections);
        json.put("peakUsedMiB", ProcessMemory.mib(peakUsedKib));
        json.put("peakLiveMiB", ProcessMemory.mib(peakLiveKib));
        json.put("peakCommittedMiB", ProcessMemory.mib(peakCommittedKib));
        return json;
    }

    private static long kib(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "G" -> value * 1024 * 1024;
            case "M" -> value * 1024;
            default -> value;
        };
    }
}
