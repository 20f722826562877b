package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

/**
 * One batch normalization layer's oneDNN primitives for training on float images, run on the
 * layer's own arrays: the forward pass with the batch's statistics, and the backward pass to the
 * input, gamma and beta. A ReLU after the normalization is fused into both; the forward pass
 * leaves oneDNN a mask of where it let values through, which the backward pass of the same
 * geometry reads.
 */
public final class OneDnnBatchNormalization {

    /** The shape of one call; {@code rectify} adds the ReLU. */
    public record Geometry(long batch, long channels, long height, long width, boolean channelsLast, boolean rectify,
                    float epsilon) {

        private memory.desc images() {
            return new memory.desc(new long[]{batch, channels, height, width}, memory.data_type.f32,
                    channelsLast ? memory.format_tag.nhwc : memory.format_tag.nchw);
        }

        private memory.desc perChannel() {
            return new memory.desc(new long[]{channels}, memory.data_type.f32, memory.format_tag.x);
        }

        private int flags() {
            int flags = normalization_flags.use_scale.value | normalization_flags.use_shift.value;
            return rectify ? flags | normalization_flags.fuse_norm_relu.value : flags;
        }
    }

    private final OneDnn.Cache<Geometry, Primitives> primitives = new OneDnn.Cache<>(Primitives::new);

    /**
     * y = gamma * (x - mean) / sqrt(variance + epsilon) + beta (then the ReLU), from the batch's own
     * mean and biased variance, which it writes into {@code mean} and {@code variance}.
     */
    public void forward(Geometry geometry, INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray mean,
                 INDArray variance) {
        Primitives built = primitives.get(geometry);
        setStatistics(built, x, gamma, beta, mean, variance);
        built.destination.set_data_handle(OneDnn.address(y));
        primitives.run(built.forward);
    }

    /** dL/dx, dL/dgamma and dL/dbeta from dL/dy and the statistics of the forward pass over {@code x}. */
    public void backward(Geometry geometry, INDArray x, INDArray dy, INDArray gamma, INDArray beta, INDArray mean,
                  INDArray variance, INDArray dx, INDArray dGamma, INDArray dBeta) {
        Primitives built = primitives.get(geometry);
        setStatistics(built, x, gamma, beta, mean, variance);
        built.diffDestination.set_data_handle(OneDnn.address(dy));
        built.diffSource.set_data_handle(OneDnn.address(dx));
        built.diffScale.set_data_handle(OneDnn.address(dGamma));
        built.diffShift.set_data_handle(OneDnn.address(dBeta));
        primitives.run(built.backward);
    }

    private static void setStatistics(Primitives built, INDArray x, INDArray gamma, INDArray beta, INDArray mean,
                                      INDArray variance) {
        built.source.set_data_handle(OneDnn.address(x));
        built.scale.set_data_handle(OneDnn.address(gamma));
        built.shift.set_data_handle(OneDnn.address(beta));
        built.mean.set_data_handle(OneDnn.address(mean));
        built.variance.set_data_handle(OneDnn.address(variance));
    }

    /** The primitives of one geometry. */
    private static final class Primitives extends OneDnn.Primitives {

        private final memory source;
        private final memory destination;
        private final memory scale;
        private final memory shift;
        private final memory mean;
        private final memory variance;
        private final memory diffSource;
        private final memory diffDestination;
        private final memory diffScale;
        private final memory diffShift;
        private final List<Step> forward;
        private final List<Step> backward;

        Primitives(Geometry geometry) {
            source = user(geometry.images());
            destination = user(geometry.images());
            diffSource = user(geometry.images());
            diffDestination = user(geometry.images());
            scale = user(geometry.perChannel());
            shift = user(geometry.perChannel());
            mean = user(geometry.perChannel());
            variance = user(geometry.perChannel());
            diffScale = user(geometry.perChannel());
            diffShift = user(geometry.perChannel());

            batch_normalization_forward.primitive_desc forwardDescriptor = own(
                    new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
                            prop_kind.forward_training.value, geometry.images(), geometry.epsilon(), geometry.flags()),
                            OneDnn.cpu()));
            batch_normalization_backward.primitive_desc backwardDescriptor = own(
                    new batch_normalization_backward.primitive_desc(new batch_normalization_backward.desc(
                            prop_kind.backward.value, geometry.images(), geometry.images(), geometry.epsilon(),
                            geometry.flags()), OneDnn.cpu(), forwardDescriptor));

            IntMemoryMap forwardArguments = statistics(arguments(DNNL_ARG_DST, destination, DNNL_ARG_SRC, source));
            IntMemoryMap backwardArguments = statistics(arguments(DNNL_ARG_DIFF_DST, diffDestination, DNNL_ARG_SRC, source,
                    DNNL_ARG_DIFF_SRC, diffSource));
            backwardArguments.put(DNNL_ARG_DIFF_SCALE, diffScale);
            backwardArguments.put(DNNL_ARG_DIFF_SHIFT, diffShift);
            if (geometry.rectify()) {
                memory mask = owned(forwardDescriptor.workspace_desc());
                forwardArguments.put(DNNL_ARG_WORKSPACE, mask);
                backwardArguments.put(DNNL_ARG_WORKSPACE, mask);
            }
            forward = List.of(new Step(own(new batch_normalization_forward(forwardDescriptor)), forwardArguments));
            backward = List.of(new Step(own(new batch_normalization_backward(backwardDescriptor)), backwardArguments));
        }

        private IntMemoryMap statistics(IntMemoryMap arguments) {
            arguments.put(DNNL_ARG_SCALE, scale);
            arguments.put(DNNL_ARG_SHIFT, shift);
            arguments.put(DNNL_ARG_MEAN, mean);
            arguments.put(DNNL_ARG_VARIANCE, variance);
            return arguments;
        }
    }
}
