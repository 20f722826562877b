package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.function.Function;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;

/**
 * What a layer with weights and an optional bias does with its oneDNN primitives ({@link OneDnnConvolution},
 * {@link OneDnnInnerProduct}): the forward pass, the gradients of the weights and bias, and the
 * gradient of the input, each run on the layer's own float arrays, whose addresses are set before
 * each run. The primitives are built for each geometry the layer meets and kept.
 *
 * @param <G> the shape of one call
 * @param <P> the primitives of one geometry
 */
public abstract class OneDnnWeightedLayer<G, P extends OneDnnWeightedLayer.Primitives> {

    private final OneDnn.Cache<G, P> primitives;

    OneDnnWeightedLayer(Function<G, P> build) {
        primitives = new OneDnn.Cache<>(build);
    }

    /** Z = W * x (+ b), or what the layer fuses into it; {@code bias} null without one. */
    public void forward(G geometry, INDArray input, INDArray weights, INDArray bias, INDArray output) {
        P built = primitives.get(geometry);
        built.source.set_data_handle(OneDnn.address(input));
        built.weights.set_data_handle(OneDnn.address(weights));
        if (bias != null) {
            built.bias.set_data_handle(OneDnn.address(bias));
        }
        built.destination.set_data_handle(OneDnn.address(output));
        primitives.run(built.forward());
    }

    /** dL/dW (and dL/db) from the input and dL/dZ, written into the layer's gradient views. */
    public void backwardWeights(G geometry, INDArray input, INDArray delta, INDArray weightGradient,
                                INDArray biasGradient) {
        P built = primitives.get(geometry);
        built.source.set_data_handle(OneDnn.address(input));
        built.diffDestination.set_data_handle(OneDnn.address(delta));
        built.diffWeights.set_data_handle(OneDnn.address(weightGradient));
        if (biasGradient != null) {
            built.diffBias.set_data_handle(OneDnn.address(biasGradient));
        }
        primitives.run(built.backwardWeights());
    }

    /** dL/dx from dL/dZ and the weights. */
    public void backwardData(G geometry, INDArray delta, INDArray weights, INDArray inputGradient) {
        P built = primitives.get(geometry);
        built.diffDestination.set_data_handle(OneDnn.address(delta));
        built.weights.set_data_handle(OneDnn.address(weights));
        built.diffSource.set_data_handle(OneDnn.address(inputGradient));
        primitives.run(built.backwardData());
    }

    /**
     * dL/dZ from the output of a forward pass with the fused (leaky) ReLU and dL/d(that output). Only
     * the output's sign is read, so an output a later layer's dropout has since scaled or zeroed in
     * place gives the same result wherever its gradient is not zero.
     */
    public void backwardThroughRectifier(G geometry, INDArray output, INDArray outputGradient, INDArray delta) {
        P built = primitives(geometry);
        built.destination.set_data_handle(OneDnn.address(output));
        built.outputGradient.set_data_handle(OneDnn.address(outputGradient));
        built.diffDestination.set_data_handle(OneDnn.address(delta));
        run(built.backwardThroughRectifier());
    }

    /** The primitives of {@code geometry}, for a pass of the layer's own. */
    P primitives(G geometry) {
        return primitives.get(geometry);
    }

    void run(List<Step> steps) {
        primitives.run(steps);
    }

    /** The memory objects for the layer's arrays, in the layouts the layer keeps them in, and the passes. */
    abstract static class Primitives extends OneDnn.Primitives {

        final memory source;
        final memory weights;
        final memory bias;
        final memory destination;
        final memory diffSource;
        final memory diffWeights;
        final memory diffBias;
        final memory diffDestination;
        final memory outputGradient;
        private final memory.desc outputLayout;
        private final Float rectifierSlope;
        private final boolean sigmoid;
        private List<Step> backwardThroughRectifier;

        /**
         * {@code biases} null for a layer without a bias; {@code rectifierSlope} the slope for negative
         * values of a (leaky) ReLU fused into the forward pass, null for none.
         */
        Primitives(memory.desc input, memory.desc weightsLayout, memory.desc biases, memory.desc output,
                   Float rectifierSlope) {
            this(input, weightsLayout, biases, output, rectifierSlope, false);
        }

        /** As above, or with the logistic sigmoid fused into the forward pass instead ({@code sigmoid}). */
        Primitives(memory.desc input, memory.desc weightsLayout, memory.desc biases, memory.desc output,
                   Float rectifierSlope, boolean sigmoid) {
            if (sigmoid && rectifierSlope != null) {
                throw new IllegalArgumentException("one activation fused into the product, not a ReLU and a sigmoid");
            }
            this.outputLayout = output;
            this.rectifierSlope = rectifierSlope;
            this.sigmoid = sigmoid;
            outputGradient = user(output);
            source = user(input);
            weights = user(weightsLayout);
            bias = biases == null ? null : user(biases);
            destination = user(output);
            diffSource = user(input);
            diffWeights = user(weightsLayout);
            diffBias = biases == null ? null : user(biases);
            diffDestination = user(output);
        }

        abstract List<Step> forward();

        /** Attributes that fuse the ReLU or the sigmoid into the forward pass, if there is one. */
        final primitive_attr fusedActivation() {
            primitive_attr attributes = own(new primitive_attr());
            if (rectifierSlope != null || sigmoid) {
                post_ops operations = own(new post_ops());
                // The ReLU's gradient is computed from the output rather than the input, with no copy of Z;
                // the sigmoid's by the caller, from the output as well.
                operations.append_eltwise(1f, sigmoid ? algorithm.eltwise_logistic
                        : algorithm.eltwise_relu_use_dst_for_bwd, sigmoid ? 0f : rectifierSlope, 0f);
                attributes.set_post_ops(operations);
            }
            return attributes;
        }

        final List<Step> backwardThroughRectifier() {
            if (backwardThroughRectifier == null) {
                eltwise_forward.primitive_desc hint = own(new eltwise_forward.primitive_desc(new eltwise_forward.desc(
                        prop_kind.forward_training, algorithm.eltwise_relu_use_dst_for_bwd, outputLayout,
                        rectifierSlope, 0f), OneDnn.cpu()));
                eltwise_backward.primitive_desc descriptor = own(new eltwise_backward.primitive_desc(
                        new eltwise_backward.desc(algorithm.eltwise_relu_use_dst_for_bwd, outputLayout, outputLayout,
                                rectifierSlope, 0f), OneDnn.cpu(), hint));
                backwardThroughRectifier = List.of(new Step(own(new eltwise_backward(descriptor)), arguments(
                        DNNL_ARG_DST, destination, DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_DIFF_SRC, diffDestination)));
            }
            return backwardThroughRectifier;
        }

        /** Built when first asked for, as a layer that is only evaluated never needs it. */
        abstract List<Step> backwardWeights();

        abstract List<Step> backwardData();
    }
}
