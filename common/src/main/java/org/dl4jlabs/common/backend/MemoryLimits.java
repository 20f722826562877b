package org.dl4jlabs.common.backend;

import org.bytedeco.javacpp.Pointer;

/**
 * The memory a run may use, stated up front: the JVM's heap and the native memory ND4J's arrays
 * live in (JavaCPP's limit, the heap's size unless {@code -Dorg.bytedeco.javacpp.maxbytes} says
 * otherwise). A run that would need more stops with an out-of-memory error that names these figures.
 */
public record MemoryLimits(long heapBytes, long nativeBytes) {

    public static MemoryLimits current() {
        return new MemoryLimits(Runtime.getRuntime().maxMemory(), Pointer.maxBytes());
    }

    @Override
    public String toString() {
        return String.format("Java heap up to %s, native arrays up to %s", gigabytes(heapBytes), gigabytes(nativeBytes));
    }

    private static String gigabytes(long bytes) {
        return bytes <= 0 || bytes == Long.MAX_VALUE ? "no set limit" : String.format("%.1f GB", bytes / 1e9);
    }
}
