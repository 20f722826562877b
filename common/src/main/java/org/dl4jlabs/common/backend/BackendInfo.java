package org.dl4jlabs.common.backend;

/**
 * What the run actually executed on, as written into every report.
 *
 * @param backend "CPU" or "CUDA"
 * @param onednn  whether DL4J's oneDNN layer helpers are engaged (CPU only)
 * @param threads the number of threads ND4J's native ops may use
 */
public record BackendInfo(String backend, boolean onednn, int threads) {
    @Override
    public String toString() {
        return backend + (onednn ? " (oneDNN)" : "") + ", " + threads + " thread" + (threads == 1 ? "" : "s");
    }
}
