package org.dl4jlabs.common.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.backend.BackendInfo;
import org.dl4jlabs.common.bench.Bench;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.layers.fast.FastLayers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code ./labs bench}: training throughput of the suite's networks on random data. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training throughput (examples/s, median of timed steps after warm-up) "
                + "on random data of the right shape.")
public class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", split = ",", paramLabel = "NAME",
            description = "Which benchmarks (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    List<String> models;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed steps first, at least (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "3",
            description = "Keep warming up for this long, up to 400 steps, so the JIT compiles the Java hot loops "
                    + "(default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--iterations", defaultValue = "50", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--threads", defaultValue = "0", description = "Threads for native math; 0 = one per core.")
    int threads;

    @Option(names = "--stock", description = "DL4J as shipped: oneDNN layer helpers and the suite's fast layers off.")
    boolean stock;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (warmup < 0 || !(warmupSeconds >= 0) || iterations < 1) {
            throw new LabsException("--warmup and --warmup-seconds must be 0 or more and --iterations at least 1");
        }
        if (stock) {
            System.setProperty(Backend.HELPERS_DISABLE, "true");
            System.setProperty(FastLayers.DISABLE, "true");
        }
        BackendInfo backend = Backend.init(threads);
        TreeMap<String, BenchModel> available = Bench.available();
        List<String> chosen = models == null ? List.copyOf(available.keySet()) : models;
        for (String name : chosen) {
            if (!available.containsKey(name)) {
                throw new LabsException("unknown benchmark '" + name + "'; choose from: " + Bench.names());
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        for (String name : chosen) {
            Bench.Result result = Bench.run(available.get(name), warmup, warmupSeconds, iterations, 42);
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("model", result.model());
                line.put("batch", result.batch());
                line.put("examples_per_second", Math.round(result.examplesPerSecond() * 10) / 10.0);
                line.put("median_step_ms", Math.round(result.medianSeconds() * 1e5) / 100.0);
                Map<String, Object> backendFields = new LinkedHashMap<>();
                backendFields.put("type", backend.backend());
                backendFields.put("onednn", backend.onednn());
                backendFields.put("threads", backend.threads());
                backendFields.put("fast_layers", FastLayers.enabled());
                line.put("backend", backendFields);
                System.out.println(mapper.writeValueAsString(line));
            } else {
                System.out.printf("%-14s batch %4d  %10.1f examples/s  (%.2f ms/step)  %s%s%n", result.model(),
                        result.batch(), result.examplesPerSecond(), result.medianSeconds() * 1e3, backend,
                        FastLayers.enabled() ? "" : ", fast layers off");
            }
        }
        return 0;
    }

    /** The benchmark names, for {@code --help}. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Bench.available().keySet().iterator();
        }
    }
}
