package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.inner_product_backward_data;
import org.bytedeco.dnnl.inner_product_backward_weights;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * One fully connected layer's oneDNN inner-product primitives, run on the layer's own float arrays:
 * Z = X W + b, dL/dW and dL/db, and dL/dX. DL4J's weights [inputs, outputs] in column-major order
 * are exactly oneDNN's [outputs, inputs] row-major ("oi") weights, so neither they nor their gradient
 * are copied; the rows of X, Z and dL/dZ are c-order [batch, features]. oneDNN's own matrix product
 * and bias addition in one call were faster than libnd4j's product and a separate bias addition
 * (docs/PERFORMANCE.md). A ReLU can run in the same call, as for the convolution, or a sigmoid.
 */
public final class OneDnnInnerProduct
        extends OneDnnWeightedLayer<OneDnnInnerProduct.Geometry, OneDnnInnerProduct.Primitives> {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnInnerProduct.class);

    /**
     * The shape of one call: rows, the layer's inputs and outputs, whether it adds a bias, and the
     * activation fused into the forward pass: the slope for negative values of a (leaky) ReLU, null
     * for none, or the logistic sigmoid ({@code sigmoid}, with no ReLU).
     */
    public record Geometry(long batch, long inputs, long outputs, boolean bias, Float rectifierSlope, boolean sigmoid) {

        /** A call with a (leaky) ReLU fused into it, or ({@code rectifierSlope} null) no activation. */
        public Geometry(long batch, long inputs, long outputs, boolean bias, Float rectifierSlope) {
            this(batch, inputs, outputs, bias, rectifierSlope, false);
        }

        private memory.desc rows(long features) {
            return new memory.desc(new long[]{batch, features}, memory.data_type.f32, memory.format_tag.nc);
        }

        private memory.desc weights() {
            return new memory.desc(new long[]{outputs, inputs}, memory.data_type.f32, memory.format_tag.oi);
        }

        private memory.desc biases() {
            return new memory.desc(new long[]{outputs}, memory.data_type.f32, memory.format_tag.x);
        }
    }

    public OneDnnInnerProduct() {
        super(Primitives::new);
    }

    /** The primitives of one geometry; the backward ones built when first asked for. */
    static final class Primitives extends OneDnnWeightedLayer.Primitives {

        private final Geometry geometry;
        private final inner_product_forward.primitive_desc forwardDescriptor;
        private final List<Step> forward;
        private List<Step> backwardWeights;
        private List<Step> backwardData;

        Primitives(Geometry geometry) {
            super(geometry.rows(geometry.inputs()), geometry.weights(), geometry.bias() ? geometry.biases() : null,
                    geometry.rows(geometry.outputs()), geometry.rectifierSlope(), geometry.sigmoid());
            this.geometry = geometry;
            inner_product_forward.desc description = geometry.bias()
                    ? new inner_product_forward.desc(prop_kind.forward_training, geometry.rows(geometry.inputs()),
                    geometry.weights(), geometry.biases(), geometry.rows(geometry.outputs()))
                    : new inner_product_forward.desc(prop_kind.forward_training, geometry.rows(geometry.inputs()),
                    geometry.weights(), geometry.rows(geometry.outputs()));
            forwardDescriptor = own(new inner_product_forward.primitive_desc(description, fusedActivation(), OneDnn.cpu()));
            IntMemoryMap arguments = arguments(DNNL_ARG_SRC, source, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_DST, destination);
            if (bias != null) {
                arguments.put(DNNL_ARG_BIAS, bias);
            }
            forward = List.of(new Step(own(new inner_product_forward(forwardDescriptor)), arguments));
            LOG.debug("oneDNN inner product {}: {}", geometry, forwardDescriptor.impl_info_str().getString());
        }

        @Override
        List<Step> forward() {
            return forward;
        }

        @Override
        List<Step> backwardWeights() {
            if (backwardWeights == null) {
                inner_product_backward_weights.desc description = geometry.bias()
                        ? new inner_product_backward_weights.desc(geometry.rows(geometry.inputs()), geometry.weights(),
                        geometry.biases(), geometry.rows(geometry.outputs()))
                        : new inner_product_backward_weights.desc(geometry.rows(geometry.inputs()), geometry.weights(),
                        geometry.rows(geometry.outputs()));
                inner_product_backward_weights.primitive_desc descriptor = own(
                        new inner_product_backward_weights.primitive_desc(description, OneDnn.cpu(), forwardDescriptor));
                IntMemoryMap arguments = arguments(DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, diffDestination,
                        DNNL_ARG_DIFF_WEIGHTS, diffWeights);
                if (diffBias != null) {
                    arguments.put(DNNL_ARG_DIFF_BIAS, diffBias);
                }
                backwardWeights = List.of(new Step(own(new inner_product_backward_weights(descriptor)), arguments));
            }
            return backwardWeights;
        }

        @Override
        List<Step> backwardData() {
            if (backwardData == null) {
                inner_product_backward_data.primitive_desc descriptor = own(new inner_product_backward_data.primitive_desc(
                        new inner_product_backward_data.desc(geometry.rows(geometry.inputs()), geometry.weights(),
                                geometry.rows(geometry.outputs())), OneDnn.cpu(), forwardDescriptor));
                backwardData = List.of(new Step(own(new inner_product_backward_data(descriptor)), arguments(
                        DNNL_ARG_DIFF_DST, diffDestination, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_DIFF_SRC, diffSource)));
            }
            return backwardData;
        }
    }
}
