package org.dl4jlabs.common.backend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most memory this process has held so far: the kernel's peak resident size (Java heap, ND4J's
 * native arrays and everything else together; Linux only), and the Java heap pools' peaks.
 *
 * @param residentBytes the peak resident set ({@code VmHWM}), or -1 where the system does not say
 * @param heapBytes     the sum of the heap pools' peaks (a little above the heap's own peak)
 */
public record PeakMemory(long residentBytes, long heapBytes) {

    public static PeakMemory now() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new PeakMemory(residentPeak(), heap);
    }

    /** For report.json, in MiB to a tenth: {@code resident_mib} (absent where unknown) and {@code heap_mib}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (residentBytes >= 0) {
            map.put("resident_mib", mebibytes(residentBytes));
        }
        map.put("heap_mib", mebibytes(heapBytes));
        return map;
    }

    private static double mebibytes(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    @Override
    public String toString() {
        return (residentBytes >= 0 ? String.format("%.2f GB resident at most, ", residentBytes / 1e9) : "")
                + String.format("Java heap pools' peaks %.2f GB", heapBytes / 1e9);
    }

    private static long residentPeak() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel that words it otherwise: the figure is left out
        }
        return -1;
    }
}
