package dev.scimonboard.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkFiguresTest {
    @Test
    void theMinimumIsSevenRequestsAndFiveWritesPlusOneOfEachPerPrincipal() {
        assertEquals(9, MinimumCalls.graphRequests(2));
        assertEquals(7, MinimumCalls.graphWrites(2));
        assertEquals(MinimumCalls.graphRequests(3),
            MinimumCalls.breakdown(3).values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(MinimumCalls.graphWrites(3), MinimumCalls.breakdown(3).entrySet().stream()
            .filter(e -> e.getKey().contains("(write")).mapToInt(e -> e.getValue()).sum());
    }

    @Test
    void percentilesAreNearestRank() {
        Distribution spread = Distribution.of(List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0));

        assertEquals(5.0, spread.p50());
        assertEquals(10.0, spread.p95());
        assertEquals(5.5, spread.mean());
        assertEquals(1.0, spread.min());
        assertEquals(10.0, spread.max());
    }

    @Test
    void theGcLogGivesThePeakHeapBeforeAndAfterCollections(@TempDir Path folder) throws IOException {
        Path log = folder.resolve("gc.log");
        Files.writeString(log, String.join("\n",
            "[0.012s][info][gc] Using G1",
            "[0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms",
            "[3.100s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 151M->36M(468M) 8.100ms",
            "[4.000s][info][gc] GC(2) Pause Full (System.gc()) 40960K->20480K(1G) 30.000ms"));

        GcLog gc = GcLog.read(log);

        assertEquals(3, gc.collections());
        assertEquals(151 * 1024, gc.peakUsedKib());
        assertEquals(36 * 1024, gc.peakLiveKib());
        assertEquals(1024 * 1024, gc.peakCommittedKib());
    }
}
