package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Bridges a lookup that DL4J 1.0.0-M2.1 gets wrong, so that its oneDNN layer helpers work.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} reflects on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.isUseMKLDNN()}. In M2.1 that class lives at
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method is called
 * {@code isUseONEDNN()}; the failed lookup silently drops every oneDNN helper (convolution,
 * pooling, batch normalization, LRN). This class answers that lookup from the real environment.
 * It is reflective, so the CUDA build compiles without the CPU backend on its classpath.
 *
 * <p>Enabled and explained by {@link org.dl4jlabs.common.backend.Backend}; delete it when moving
 * to a DL4J release that fixes the lookup.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final String REAL_ENVIRONMENT =
                "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static final Environment INSTANCE = new Environment();

        private final Object real;
        private final Method isUseOneDnn;

        private Environment() {
            try {
                Class<?> type = Class.forName(REAL_ENVIRONMENT);
                real = type.getMethod("getInstance").invoke(null);
                isUseOneDnn = type.getMethod("isUseONEDNN");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("ND4J's CPU backend is not on the classpath", e);
            }
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                return (boolean) isUseOneDnn.invoke(real);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot ask ND4J whether oneDNN is in use", e);
            }
        }
    }
}
