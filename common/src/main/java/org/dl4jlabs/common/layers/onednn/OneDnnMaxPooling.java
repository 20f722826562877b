package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_v2_backward;
import org.bytedeco.dnnl.pooling_v2_forward;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

/**
 * One max-pooling layer's oneDNN primitives for training on float images, run on the layer's own
 * arrays. The forward pass leaves oneDNN a record of where each window's maximum was, which the
 * backward pass of the same geometry reads instead of searching the windows again.
 */
public final class OneDnnMaxPooling {

    private final OneDnn.Cache<SlidingWindow, Primitives> primitives = new OneDnn.Cache<>(Primitives::new);

    /** Each window's maximum of {@code input} into {@code output}. */
    public void forward(SlidingWindow window, INDArray input, INDArray output) {
        Primitives built = primitives.get(window);
        built.source.set_data_handle(OneDnn.address(input));
        built.destination.set_data_handle(OneDnn.address(output));
        primitives.run(built.forward);
    }

    /** dL/dx: each window's dL/dy to where its maximum was in the last forward pass, 0 elsewhere. */
    public void backward(SlidingWindow window, INDArray outputGradient, INDArray inputGradient) {
        Primitives built = primitives.get(window);
        built.diffDestination.set_data_handle(OneDnn.address(outputGradient));
        built.diffSource.set_data_handle(OneDnn.address(inputGradient));
        primitives.run(built.backward);
    }

    /** The primitives of one geometry. */
    private static final class Primitives extends OneDnn.Primitives {

        private final memory source;
        private final memory destination;
        private final memory diffSource;
        private final memory diffDestination;
        private final List<Step> forward;
        private final List<Step> backward;

        Primitives(SlidingWindow window) {
            memory.desc input = window.input();
            memory.desc output = window.output(window.channels());
            source = user(input);
            destination = user(output);
            diffSource = user(input);
            diffDestination = user(output);
            pooling_v2_forward.primitive_desc forwardDescriptor = own(new pooling_v2_forward.primitive_desc(
                    new pooling_v2_forward.desc(prop_kind.forward_training, algorithm.pooling_max, input, output,
                            window.strides(), window.kernel(), window.dilates(), window.padTopLeft(),
                            window.padBottomRight()), OneDnn.cpu()));
            pooling_v2_backward.primitive_desc backwardDescriptor = own(new pooling_v2_backward.primitive_desc(
                    new pooling_v2_backward.desc(algorithm.pooling_max, input, output, window.strides(),
                            window.kernel(), window.dilates(), window.padTopLeft(), window.padBottomRight()),
                    OneDnn.cpu(), forwardDescriptor));
            memory maxima = owned(forwardDescriptor.workspace_desc());
            IntMemoryMap forwardArguments = arguments(DNNL_ARG_SRC, source, DNNL_ARG_DST, destination,
                    DNNL_ARG_WORKSPACE, maxima);
            IntMemoryMap backwardArguments = arguments(DNNL_ARG_DIFF_DST, diffDestination, DNNL_ARG_DIFF_SRC, diffSource,
                    DNNL_ARG_WORKSPACE, maxima);
            forward = List.of(new Step(own(new pooling_v2_forward(forwardDescriptor)), forwardArguments));
            backward = List.of(new Step(own(new pooling_v2_backward(backwardDescriptor)), backwardArguments));
        }
    }
}
