package org.dl4jlabs.common.backend;

import org.dl4jlabs.common.report.RunReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PeakMemoryTest {

    @Test
    void everyReportRecordsThePeaksItsProcessReached() {
        byte[] held = new byte[64 << 20];
        held[held.length - 1] = 1;
        RunReport report = RunReport.builder("demo", "train").dataset("d", 1, 1)
                .backend(new BackendInfo("CPU", false, 1)).build();
        @SuppressWarnings("unchecked")
        Map<String, Object> peak = (Map<String, Object>) report.extra().get("peak_memory");
        double heap = ((Number) peak.get("heap_mib")).doubleValue();
        assertTrue(heap >= 64, "the 64 MiB array is in the heap's peak: " + peak);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            double resident = ((Number) peak.get("resident_mib")).doubleValue();
            assertTrue(resident >= 64, "and in the process's: " + peak);
        }
        assertTrue(held[held.length - 1] == 1);
    }
}
