package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.dl4jlabs.common.layers.fast.FastConvolution2D;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * One convolution layer's oneDNN primitives, run on the layer's own float arrays: the forward pass,
 * the gradient of the weights and bias, and the gradient of the input, each on its own. They are
 * built on first use for each geometry and kept, with the direct algorithm, which oneDNN runs on
 * NHWC arrays as they lie (NCHW ones through reorders); see {@link FastConvolution2D} for what that
 * saves over libnd4j's ops.
 */
public final class OneDnnConvolution
        extends OneDnnWeightedLayer<OneDnnConvolution.Geometry, OneDnnConvolution.Primitives> {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnConvolution.class);

    /**
     * The shape of one convolution call: its windows, the filters they feed, whether a bias is added,
     * and the slope for negative values of the (leaky) ReLU fused into the forward pass, null for none.
     */
    public record Geometry(SlidingWindow window, long outChannels, boolean bias, Float rectifierSlope) {

        public long[] outputShape() {
            return window.outputShape(outChannels);
        }

        /** DL4J's weights are [out, in, kH, kW]. */
        private memory.desc weights(memory.format_tag tag) {
            return new memory.desc(new long[]{outChannels, window.channels(), window.kernelHeight(),
                    window.kernelWidth()}, memory.data_type.f32, tag);
        }

        private memory.desc biases() {
            return new memory.desc(new long[]{outChannels}, memory.data_type.f32, memory.format_tag.x);
        }

        private memory.desc input() {
            return window.input();
        }

        private memory.desc output() {
            return window.output(outChannels);
        }

        private memory.desc primitiveOutput() {
            return window.primitiveOutput(outChannels);
        }
    }

    public OneDnnConvolution() {
        super(Primitives::new);
    }

    /** The primitives of one geometry. */
    static final class Primitives extends OneDnnWeightedLayer.Primitives {

        private final Geometry geometry;
        private final SlidingWindow window;
        private final convolution_forward.primitive_desc forwardDescriptor;
        private final List<Step> forward = new ArrayList<>();
        private List<Step> backwardData;
        private List<Step> backwardWeights;

        Primitives(Geometry geometry) {
            super(geometry.input(), geometry.weights(memory.format_tag.oihw), geometry.bias() ? geometry.biases() : null,
                    geometry.output(), geometry.rectifierSlope());
            this.geometry = geometry;
            this.window = geometry.window();

            memory.desc anyWeights = geometry.weights(memory.format_tag.any);
            convolution_forward.desc description = geometry.bias()
                    ? new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct,
                    window.primitiveInput(), anyWeights, geometry.biases(), geometry.primitiveOutput(),
                    window.strides(), window.dilates(), window.padTopLeft(), window.padBottomRight())
                    : new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct,
                    window.primitiveInput(), anyWeights, geometry.primitiveOutput(), window.strides(),
                    window.dilates(), window.padTopLeft(), window.padBottomRight());
            forwardDescriptor = own(new convolution_forward.primitive_desc(description, fusedActivation(), OneDnn.cpu()));
            memory input = reorderedFrom(source, forwardDescriptor.src_desc(), forward);
            memory primitiveWeights = reorderedFrom(weights, forwardDescriptor.weights_desc(), forward);
            List<Step> after = new ArrayList<>();
            memory output = writtenThrough(destination, forwardDescriptor.dst_desc(), after);
            IntMemoryMap arguments = arguments(DNNL_ARG_SRC, input, DNNL_ARG_WEIGHTS, primitiveWeights, DNNL_ARG_DST, output);
            if (geometry.bias()) {
                arguments.put(DNNL_ARG_BIAS, bias);
            }
            forward.add(new Step(own(new convolution_forward(forwardDescriptor)), arguments));
            forward.addAll(after);
            LOG.debug("oneDNN convolution {}: {}", geometry, forwardDescriptor.impl_info_str().getString());
        }

        @Override
        List<Step> forward() {
            return forward;
        }

        @Override
        List<Step> backwardData() {
            if (backwardData == null) {
                List<Step> steps = new ArrayList<>();
                convolution_backward_data.primitive_desc descriptor = own(new convolution_backward_data.primitive_desc(
                        new convolution_backward_data.desc(algorithm.convolution_direct, window.primitiveInput(),
                                geometry.weights(memory.format_tag.any), geometry.primitiveOutput(), window.strides(),
                                window.dilates(), window.padTopLeft(), window.padBottomRight()),
                        OneDnn.cpu(), forwardDescriptor));
                memory outputGradient = reorderedFrom(diffDestination, descriptor.diff_dst_desc(), steps);
                memory primitiveWeights = reorderedFrom(weights, descriptor.weights_desc(), steps);
                List<Step> after = new ArrayList<>();
                memory inputGradient = writtenThrough(diffSource, descriptor.diff_src_desc(), after);
                steps.add(new Step(own(new convolution_backward_data(descriptor)), arguments(
                        DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_WEIGHTS, primitiveWeights, DNNL_ARG_DIFF_SRC, inputGradient)));
                steps.addAll(after);
                backwardData = steps;
            }
            return backwardData;
        }

        @Override
        List<Step> backwardWeights() {
            if (backwardWeights == null) {
                memory.desc anyWeights = geometry.weights(memory.format_tag.any);
                convolution_backward_weights.desc description = geometry.bias()
                        ? new convolution_backward_weights.desc(algorithm.convolution_direct, window.primitiveInput(),
                        anyWeights, geometry.biases(), geometry.primitiveOutput(), window.strides(),
                        window.dilates(), window.padTopLeft(), window.padBottomRight())
                        : new convolution_backward_weights.desc(algorithm.convolution_direct, window.primitiveInput(),
                        anyWeights, geometry.primitiveOutput(), window.strides(), window.dilates(),
                        window.padTopLeft(), window.padBottomRight());
                convolution_backward_weights.primitive_desc descriptor = own(
                        new convolution_backward_weights.primitive_desc(description, OneDnn.cpu(), forwardDescriptor));
                List<Step> steps = new ArrayList<>();
                memory input = reorderedFrom(source, descriptor.src_desc(), steps);
                memory outputGradient = reorderedFrom(diffDestination, descriptor.diff_dst_desc(), steps);
                List<Step> after = new ArrayList<>();
                memory weightGradient = writtenThrough(diffWeights, descriptor.diff_weights_desc(), after);
                IntMemoryMap arguments = arguments(DNNL_ARG_SRC, input, DNNL_ARG_DIFF_DST, outputGradient,
                        DNNL_ARG_DIFF_WEIGHTS, weightGradient);
                if (geometry.bias()) {
                    arguments.put(DNNL_ARG_DIFF_BIAS, diffBias);
                }
                steps.add(new Step(own(new convolution_backward_weights(descriptor)), arguments));
                steps.addAll(after);
                backwardWeights = steps;
            }
            return backwardWeights;
        }
    }
}
