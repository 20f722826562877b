package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

/**
 * What the layers that call oneDNN themselves share ({@link OneDnnConvolution},
 * {@link OneDnnBatchNormalization}): the CPU engine, and per layer a cache of primitives built for
 * each geometry (batch size, image size) it meets.
 *
 * <p>oneDNN is JavaCPP's build, a second copy beside the one inside libnd4j, which gives no access
 * to its primitives. Both run on the OpenMP runtime libnd4j loads, so they share its threads.
 */
public final class OneDnn {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);

    /** Geometries a layer keeps primitives for: training batches, a smaller last batch, evaluation. */
    private static final int KEPT_GEOMETRIES = 4;

    private OneDnn() {
    }

    /** Whether ND4J computes on the CPU, where its arrays are host memory, and oneDNN's natives loaded. */
    public static boolean available() {
        return Natives.CPU != null;
    }

    public static engine cpu() {
        return Natives.CPU;
    }

    /** Whether oneDNN can read the array as it lies: c-order with no gaps (a view may start at an offset). */
    public static boolean isDense(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }

    /** The array itself when oneDNN can read it as it lies, else a dense c-order copy. */
    public static INDArray dense(INDArray array) {
        return isDense(array) ? array : array.dup('c');
    }

    /** The same, the copy an array of {@code type} in the layer's workspaces. */
    public static INDArray dense(INDArray array, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        return isDense(array) ? array : workspaceMgr.dup(type, array, 'c');
    }

    /**
     * The array itself when it is column-major with no gaps (DL4J's weights as they lie: oneDNN's
     * row-major transpose), else such a copy (weight noise gives other layouts).
     */
    public static INDArray columnMajor(INDArray array) {
        return array.ordering() == 'f' && Shape.hasDefaultStridesForShape(array) ? array : array.dup('f');
    }

    /** The first element's address: the data buffer of a view starts at the view's offset. */
    public static Pointer address(INDArray array) {
        return array.data().addressPointer();
    }

    /** A primitive and the memory objects it reads and writes. */
    public record Step(primitive primitive, IntMemoryMap arguments) {
    }

    /**
     * The primitives of one geometry and their memory objects. Memory objects that stand for a
     * layer's arrays get their addresses before each run; the others own their buffers. All are
     * freed when the cache drops the geometry, rather than whenever the collector finds them.
     */
    abstract static class Primitives {

        private final List<Pointer> owned = new ArrayList<>();

        protected final <T extends Pointer> T own(T pointer) {
            owned.add(pointer);
            return pointer;
        }

        /** A memory object for one of the layer's arrays, its address set before each use. */
        protected final memory user(memory.desc description) {
            return own(new memory(description, cpu(), new Pointer()));
        }

        /** A memory object with a buffer of its own, for what oneDNN keeps between calls. */
        protected final memory owned(memory.desc description) {
            return own(new memory(description, cpu()));
        }

        protected final IntMemoryMap arguments(int key1, memory value1, int key2, memory value2) {
            IntMemoryMap arguments = own(new IntMemoryMap());
            arguments.put(key1, value1);
            arguments.put(key2, value2);
            return arguments;
        }

        protected final IntMemoryMap arguments(int key1, memory value1, int key2, memory value2, int key3,
                                               memory value3) {
            IntMemoryMap arguments = arguments(key1, value1, key2, value2);
            arguments.put(key3, value3);
            return arguments;
        }

        protected final Step reorder(memory from, memory to) {
            return new Step(own(new reorder(from, to)), arguments(DNNL_ARG_FROM, from, DNNL_ARG_TO, to));
        }

        /**
         * Where a primitive writes a result meant for {@code user}: {@code user} itself when the
         * primitive produces its layout, else a buffer that the step added to {@code after} reorders
         * into it.
         */
        protected final memory writtenThrough(memory user, memory.desc produced, List<Step> after) {
            if (produced.equals(user.get_desc())) {
                return user;
            }
            memory inPrimitiveLayout = owned(produced);
            after.add(reorder(inPrimitiveLayout, user));
            return inPrimitiveLayout;
        }

        /** {@code user} itself when a primitive takes its layout, else a buffer it is reordered into first. */
        protected final memory reorderedFrom(memory user, memory.desc wanted, List<Step> steps) {
            if (wanted.equals(user.get_desc())) {
                return user;
            }
            memory inPrimitiveLayout = owned(wanted);
            steps.add(reorder(user, inPrimitiveLayout));
            return inPrimitiveLayout;
        }

        final void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                owned.get(i).close();
            }
            owned.clear();
        }
    }

    /** One layer's primitives by geometry, the least recently used dropped, and the stream they run on. */
    public static final class Cache<G, P extends Primitives> {

        private final Function<G, P> build;
        private final Map<G, P> built = new LinkedHashMap<>(KEPT_GEOMETRIES, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<G, P> eldest) {
                if (size() > KEPT_GEOMETRIES) {
                    eldest.getValue().close();
                    return true;
                }
                return false;
            }
        };
        private stream stream;

        Cache(Function<G, P> build) {
            this.build = build;
        }

        P get(G geometry) {
            return built.computeIfAbsent(geometry, build);
        }

        void run(List<Step> steps) {
            if (stream == null) {
                stream = new stream(cpu());
            }
            for (Step step : steps) {
                step.primitive().execute(stream, step.arguments());
            }
            stream._wait();
        }

        /**
         * {@link #run} on at most {@code threads} OpenMP threads. The limit is the calling thread's
         * OpenMP setting, which oneDNN reads when a primitive runs; it is restored afterwards.
         */
        void run(List<Step> steps, int threads) {
            NativeOps openMp = NativeOpsHolder.getInstance().getDeviceNativeOps();
            int before = openMp.ompGetMaxThreads();
            if (threads >= before) {
                run(steps);
                return;
            }
            openMp.setOmpNumThreads(threads);
            try {
                run(steps);
            } finally {
                openMp.setOmpNumThreads(before);
            }
        }
    }

    /**
     * The CPU engine; null on a GPU backend, and where JavaCPP's oneDNN natives do not load (no build
     * for the platform).
     */
    private static final class Natives {

        static final engine CPU = Nd4j.getEnvironment().isCPU() ? cpuEngine() : null;

        private static engine cpuEngine() {
            try {
                return new engine(engine.kind.cpu, 0);
            } catch (LinkageError | RuntimeException e) {
                LOG.info("oneDNN did not load ({}); the fast convolution and batch normalization layers compute"
                        + " through DL4J's", e.toString());
                return null;
            }
        }
    }
}
