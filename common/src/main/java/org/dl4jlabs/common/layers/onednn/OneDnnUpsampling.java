package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.resampling_forward;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

/**
 * Nearest-neighbour upsampling of channels-first float images by whole factors, forward only, with
 * oneDNN's resampling primitive: each value copied into its factorH x factorW block. Its backward
 * primitive (a reference implementation in oneDNN 2.5) measured four times slower than libnd4j's
 * {@code upsampling_bp}, so the layer keeps DL4J's backward pass (docs/PERFORMANCE.md).
 */
public final class OneDnnUpsampling {

    /** Images [batch, channels, height, width], each side multiplied by its factor. */
    public record Geometry(long batch, long channels, long height, long width, int factorHeight, int factorWidth) {

        private memory.desc images(long rows, long columns) {
            return new memory.desc(new long[]{batch, channels, rows, columns}, memory.data_type.f32,
                    memory.format_tag.nchw);
        }
    }

    private final OneDnn.Cache<Geometry, Primitives> primitives = new OneDnn.Cache<>(Primitives::new);

    /** {@code input} upsampled into {@code output}, both dense c-order float arrays. */
    public void forward(Geometry geometry, INDArray input, INDArray output) {
        Primitives built = primitives.get(geometry);
        built.source.set_data_handle(OneDnn.address(input));
        built.destination.set_data_handle(OneDnn.address(output));
        primitives.run(built.forward);
    }

    private static final class Primitives extends OneDnn.Primitives {

        private final memory source;
        private final memory destination;
        private final List<Step> forward;

        Primitives(Geometry geometry) {
            memory.desc input = geometry.images(geometry.height(), geometry.width());
            memory.desc output = geometry.images(geometry.height() * geometry.factorHeight(),
                    geometry.width() * geometry.factorWidth());
            source = user(input);
            destination = user(output);
            resampling_forward.primitive_desc descriptor = own(new resampling_forward.primitive_desc(
                    new resampling_forward.desc(prop_kind.forward_training, algorithm.resampling_nearest, input, output),
                    OneDnn.cpu()));
            forward = List.of(new Step(own(new resampling_forward(descriptor)),
                    arguments(DNNL_ARG_SRC, source, DNNL_ARG_DST, destination)));
        }
    }
}
