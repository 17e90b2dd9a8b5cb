package io.millrace.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcPausesTest {
    @TempDir
    Path dir;

    @Test
    void countsThePausesLoggedAfterTheMark() throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, """
                [0.010s] Using G1
                [1.234s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 51M->4M(1024M) 9.100ms
                """);
        long mark = GcPauses.mark(log);
        Files.writeString(log, """
                [5.001s] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 60M->5M(1024M) 2.500ms
                [6.002s] GC(2) Pause Remark 70M->70M(1024M) 1.250ms
                [6.100s] GC(3) Concurrent Mark Cycle 20.000ms
                [7.003s] GC(4) Pause Young (Concurrent Start) (G1 Humongous Allocation) 80M->6M(1024M) 4.000ms
                """, StandardOpenOption.APPEND);
        GcPauses pauses = GcPauses.since(log, mark);
        assertEquals(3, pauses.count(), "the concurrent cycle is not a pause; the one before the mark is not counted");
        assertEquals(4.0, pauses.maxMs());
        assertEquals(7.75, pauses.totalMs(), 1e-9);
    }

    @Test
    void noLogNoPauses() throws Exception {
        Path missing = dir.resolve("none.log");
        assertEquals(new GcPauses(0, 0, 0), GcPauses.since(missing, GcPauses.mark(missing)));
        assertEquals(new GcPauses(3, 5.0, 9.0), GcPauses.sum(List.of(new GcPauses(1, 5.0, 5.0), new GcPauses(2, 2.0, 4.0))));
    }
}
