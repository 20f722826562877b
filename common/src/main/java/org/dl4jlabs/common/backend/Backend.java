package org.dl4jlabs.common.backend;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place that sets up ND4J for speed. Call {@link #init} before any other ND4J or DL4J code.
 *
 * <p>Out of the box, DL4J 1.0.0-M2.1 on the CPU runs its convolution, pooling and batch-norm
 * layers without oneDNN, for two reasons, both fixed here:
 * <ol>
 *   <li>Layer helpers are disabled unless the system property {@value #HELPERS_DISABLE} is
 *       {@code false}; its default is {@code true}. We set it to {@code false} unless the user set
 *       it (set it to {@code true} yourself to measure the stock configuration).</li>
 *   <li>Even when allowed, DL4J's check for oneDNN looks up a class that M2.1 renamed, fails and
 *       silently drops every helper. {@link org.nd4j.nativeblas.Nd4jCpu} answers that lookup.</li>
 * </ol>
 * The oneDNN build of ND4J's natives is the only one the build puts on the classpath (see
 * {@code common/pom.xml}).
 * On a LeNet-style network this made a training step about 3.5 times faster on a 2-core machine.
 */
public final class Backend {

    /** DL4J's switch for cuDNN/oneDNN layer helpers. */
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    /** JavaCPP's limit on the whole process's resident memory; 0 turns its check off. */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    private Backend() {
    }

    /**
     * Configures ND4J and returns what it will run on.
     *
     * @param threads threads for native ops; 0 keeps ND4J's default (one per core)
     */
    public static synchronized BackendInfo init(int threads) {
        // JavaCPP checks the process's resident size (it reads /proc) on every native allocation, and
        // ND4J makes one for each array's shape, a reshaped view included: 3 % of a CNN's training loop
        // (docs/PERFORMANCE.md). Its limit on the memory it allocates itself ("native arrays up to")
        // still applies. JavaCPP reads the property once, when it loads, which is why this comes before
        // any ND4J call; a value given with -D is kept.
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        if (threads > 0) {
            // ND4J's op thread pool can only shrink through its master-thread limit; BLAS has its own.
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        return info();
    }

    /** What ND4J runs on now; {@code onednn} is true only if DL4J's layers will use oneDNN. */
    public static BackendInfo info() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        boolean onednn = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE, "true"))
                && BaseMKLDNNHelper.mklDnnEnabled();
        return new BackendInfo(backend == null ? "unknown" : backend.toUpperCase(), onednn,
                Nd4j.getEnvironment().maxMasterThreads());
    }
}
