package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.global.dnnl.rnn_direction;
import org.bytedeco.dnnl.lstm_backward;
import org.bytedeco.dnnl.lstm_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;
import org.dl4jlabs.common.layers.onednn.OneDnn.Step;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST_ITER_C;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC_ITER_C;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST_ITER_C;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_ITER_C;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

/**
 * One LSTM layer's oneDNN primitives: the whole sequence in one forward call and one backward call,
 * where DL4J runs several small operations per time step. Built on first use for each geometry and
 * kept.
 *
 * <p>Arrays are float and c-order. The sequences are DL4J's [batch, features, steps] (NCW) or
 * [batch, steps, features] (NWC), which reorders turn into the [steps, batch, features] oneDNN
 * computes on. The parameters are in oneDNN's layout and gate order (input, forget, candidate,
 * output): the input weights [4, units, inputs], the recurrent weights [4, units, units] and the bias
 * [4, units]; the caller converts from DL4J's. The states are [batch, units].
 *
 * <p>A training forward pass leaves what its backward pass needs in buffers of this object (the
 * sequence in oneDNN's layout, the output and oneDNN's workspace): {@link #backward} must follow the
 * training {@link #forward} of the same geometry, with the same parameters and initial state.
 */
public final class OneDnnLstm {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnLstm.class);

    /**
     * Multiply-adds of one time step's recurrent product (batch x units x 4 units) below which the
     * primitives run on one thread. oneDNN's LSTM opens several parallel regions per time step; for
     * small products, waking the second thread for each costs more than it saves (the LSTMs of the
     * suite's apps ran 2-4 times faster on one thread of a 2-core machine, and a 256-unit layer
     * faster on two; docs/PERFORMANCE.md).
     */
    private static final long SINGLE_THREAD_BELOW = 8_000_000;

    /** The shape of one call, and whether it is for training (then a backward pass may follow). */
    public record Geometry(long steps, long batch, long inputs, long units, boolean channelsLast, boolean training) {

        private memory.desc sequence(long features, boolean user) {
            long[] dims = {steps, batch, features};
            if (!user) {
                return new memory.desc(dims, memory.data_type.f32, memory.format_tag.tnc);
            }
            long[] strides = channelsLast
                    ? new long[]{features, steps * features, 1}
                    : new long[]{1, features * steps, steps};
            return new memory.desc(dims, memory.data_type.f32, strides);
        }

        private memory.desc state() {
            return new memory.desc(new long[]{1, 1, batch, units}, memory.data_type.f32, memory.format_tag.ldnc);
        }

        private memory.desc weights(long from, memory.format_tag layout) {
            return new memory.desc(new long[]{1, 1, from, 4, units}, memory.data_type.f32, layout);
        }

        private memory.desc bias() {
            return new memory.desc(new long[]{1, 1, 4, units}, memory.data_type.f32, memory.format_tag.ldgo);
        }
    }

    private final OneDnn.Cache<Geometry, Primitives> primitives = new OneDnn.Cache<>(Primitives::new);

    /**
     * The output sequence of {@code input}, starting from the states {@code h0} and {@code c0} (null
     * for zeros). The last step's states go to {@code hT} and {@code cT} unless they are null.
     */
    public void forward(Geometry geometry, INDArray input, INDArray inputWeights, INDArray recurrentWeights,
                        INDArray bias, INDArray h0, INDArray c0, INDArray output, INDArray hT, INDArray cT) {
        Primitives built = primitives.get(geometry);
        built.input.set_data_handle(OneDnn.address(input));
        built.userInputWeights.set_data_handle(OneDnn.address(inputWeights));
        built.userRecurrentWeights.set_data_handle(OneDnn.address(recurrentWeights));
        built.bias.set_data_handle(OneDnn.address(bias));
        built.setInitialState(h0, c0);
        built.output.set_data_handle(OneDnn.address(output));
        primitives.run(built.forward, threads(geometry));
        if (hT != null) {
            Pointer.memcpy(OneDnn.address(hT), built.lastHidden.get_data_handle(), built.stateBytes);
        }
        if (cT != null) {
            Pointer.memcpy(OneDnn.address(cT), built.lastCell.get_data_handle(), built.stateBytes);
        }
    }

    /**
     * The gradients for the last training forward pass of this geometry, from dL/d(output): those of
     * the parameters written over {@code *Gradient} (oneDNN's layout and gate order), that of the
     * input into {@code inputGradient}. No gradient flows in from beyond the last step's states.
     */
    public void backward(Geometry geometry, INDArray outputGradient, INDArray inputWeights, INDArray recurrentWeights,
                         INDArray inputGradient, INDArray inputWeightGradient, INDArray recurrentWeightGradient,
                         INDArray biasGradient) {
        Primitives built = primitives.get(geometry);
        List<Step> steps = built.backward();
        built.outputGradient.set_data_handle(OneDnn.address(outputGradient));
        built.userInputWeights.set_data_handle(OneDnn.address(inputWeights));
        built.userRecurrentWeights.set_data_handle(OneDnn.address(recurrentWeights));
        built.inputGradient.set_data_handle(OneDnn.address(inputGradient));
        built.userInputWeightGradient.set_data_handle(OneDnn.address(inputWeightGradient));
        built.userRecurrentWeightGradient.set_data_handle(OneDnn.address(recurrentWeightGradient));
        built.biasGradient.set_data_handle(OneDnn.address(biasGradient));
        // oneDNN adds the parameter gradients to what their buffers hold.
        for (memory accumulated : built.accumulated) {
            Pointer.memset(accumulated.get_data_handle(), 0, accumulated.get_desc().get_size());
        }
        primitives.run(steps, threads(geometry));
    }

    private static int threads(Geometry geometry) {
        return geometry.batch() * geometry.units() * 4 * geometry.units() < SINGLE_THREAD_BELOW ? 1 : Integer.MAX_VALUE;
    }

    /** The primitives of one geometry. */
    private static final class Primitives extends OneDnn.Primitives {

        private final Geometry geometry;
        private final long stateBytes;
        private final memory input;
        private final memory output;
        private final memory userInputWeights;
        private final memory userRecurrentWeights;
        private final memory bias;
        private final memory initialHidden;
        private final memory initialCell;
        private final memory zeroState;
        private final memory lastHidden;
        private final memory lastCell;
        private final memory sequence;
        private final memory outputSequence;
        private final memory workspace;
        private final memory outputGradient;
        private final memory inputGradient;
        private final memory userInputWeightGradient;
        private final memory userRecurrentWeightGradient;
        private final memory biasGradient;
        private final List<memory> accumulated = new ArrayList<>();
        private final lstm_forward.primitive_desc forwardDescriptor;
        private final List<Step> forward = new ArrayList<>();
        private List<Step> backward;

        Primitives(Geometry geometry) {
            this.geometry = geometry;
            memory.desc state = geometry.state();
            stateBytes = state.get_size();
            input = user(geometry.sequence(geometry.inputs(), true));
            output = user(geometry.sequence(geometry.units(), true));
            userInputWeights = user(geometry.weights(geometry.inputs(), memory.format_tag.ldgoi));
            userRecurrentWeights = user(geometry.weights(geometry.units(), memory.format_tag.ldgoi));
            bias = user(geometry.bias());
            initialHidden = user(state);
            initialCell = user(state);
            zeroState = owned(state);
            Pointer.memset(zeroState.get_data_handle(), 0, stateBytes);
            lastHidden = owned(state);
            lastCell = owned(state);
            outputGradient = user(geometry.sequence(geometry.units(), true));
            inputGradient = user(geometry.sequence(geometry.inputs(), true));
            userInputWeightGradient = user(geometry.weights(geometry.inputs(), memory.format_tag.ldgoi));
            userRecurrentWeightGradient = user(geometry.weights(geometry.units(), memory.format_tag.ldgoi));
            biasGradient = user(geometry.bias());

            forwardDescriptor = own(new lstm_forward.primitive_desc(new lstm_forward.desc(
                    geometry.training() ? prop_kind.forward_training : prop_kind.forward_inference,
                    rnn_direction.unidirectional_left2right, geometry.sequence(geometry.inputs(), false), state, state,
                    geometry.weights(geometry.inputs(), memory.format_tag.any),
                    geometry.weights(geometry.units(), memory.format_tag.any), geometry.bias(),
                    geometry.sequence(geometry.units(), false), state, state), OneDnn.cpu()));
            // The copies in oneDNN's layout are owned, so that the backward pass still finds them.
            sequence = owned(forwardDescriptor.src_layer_desc());
            forward.add(reorder(input, sequence));
            memory inputWeights = reorderedFrom(userInputWeights, forwardDescriptor.weights_layer_desc(), forward);
            memory recurrentWeights = reorderedFrom(userRecurrentWeights, forwardDescriptor.weights_iter_desc(), forward);
            outputSequence = owned(forwardDescriptor.dst_layer_desc());
            workspace = geometry.training() ? owned(forwardDescriptor.workspace_desc()) : null;
            IntMemoryMap arguments = forwardArguments(inputWeights, recurrentWeights);
            if (workspace != null) {
                arguments.put(DNNL_ARG_WORKSPACE, workspace);
            }
            forward.add(new Step(own(new lstm_forward(forwardDescriptor)), arguments));
            forward.add(reorder(outputSequence, output));
            LOG.debug("oneDNN LSTM {}: {}", geometry, forwardDescriptor.impl_info_str().getString());
        }

        /** What the forward pass reads and writes, which its backward pass reads too. */
        private IntMemoryMap forwardArguments(memory inputWeights, memory recurrentWeights) {
            IntMemoryMap arguments = arguments(DNNL_ARG_SRC_LAYER, sequence, DNNL_ARG_SRC_ITER, initialHidden,
                    DNNL_ARG_SRC_ITER_C, initialCell);
            arguments.put(DNNL_ARG_WEIGHTS_LAYER, inputWeights);
            arguments.put(DNNL_ARG_WEIGHTS_ITER, recurrentWeights);
            arguments.put(DNNL_ARG_BIAS, bias);
            arguments.put(DNNL_ARG_DST_LAYER, outputSequence);
            arguments.put(DNNL_ARG_DST_ITER, lastHidden);
            arguments.put(DNNL_ARG_DST_ITER_C, lastCell);
            return arguments;
        }

        void setInitialState(INDArray h0, INDArray c0) {
            initialHidden.set_data_handle(h0 == null ? zeroState.get_data_handle() : OneDnn.address(h0));
            initialCell.set_data_handle(c0 == null ? zeroState.get_data_handle() : OneDnn.address(c0));
        }

        List<Step> backward() {
            if (!geometry.training()) {
                throw new IllegalStateException("no backward pass for an inference geometry: " + geometry);
            }
            if (backward == null) {
                memory.desc state = geometry.state();
                memory.desc anyInputWeights = geometry.weights(geometry.inputs(), memory.format_tag.any);
                memory.desc anyRecurrentWeights = geometry.weights(geometry.units(), memory.format_tag.any);
                memory.desc inputs = geometry.sequence(geometry.inputs(), false);
                memory.desc outputs = geometry.sequence(geometry.units(), false);
                lstm_backward.primitive_desc descriptor = own(new lstm_backward.primitive_desc(new lstm_backward.desc(
                        prop_kind.backward, rnn_direction.unidirectional_left2right,
                        inputs, state, state, anyInputWeights, anyRecurrentWeights, geometry.bias(), outputs, state, state,
                        inputs, state, state, anyInputWeights, anyRecurrentWeights, geometry.bias(), outputs, state, state),
                        OneDnn.cpu(), forwardDescriptor));
                List<Step> steps = new ArrayList<>();
                memory outputSequenceGradient = owned(descriptor.diff_dst_layer_desc());
                steps.add(reorder(outputGradient, outputSequenceGradient));
                memory inputWeights = reorderedFrom(userInputWeights, descriptor.weights_layer_desc(), steps);
                memory recurrentWeights = reorderedFrom(userRecurrentWeights, descriptor.weights_iter_desc(), steps);
                List<Step> after = new ArrayList<>();
                memory sequenceGradient = owned(descriptor.diff_src_layer_desc());
                after.add(reorder(sequenceGradient, inputGradient));
                memory inputWeightGradient = writtenThrough(userInputWeightGradient,
                        descriptor.diff_weights_layer_desc(), after);
                memory recurrentWeightGradient = writtenThrough(userRecurrentWeightGradient,
                        descriptor.diff_weights_iter_desc(), after);
                accumulated.add(inputWeightGradient);
                accumulated.add(recurrentWeightGradient);
                accumulated.add(biasGradient);

                IntMemoryMap arguments = forwardArguments(inputWeights, recurrentWeights);
                arguments.put(DNNL_ARG_WORKSPACE, workspace);
                arguments.put(DNNL_ARG_DIFF_DST_LAYER, outputSequenceGradient);
                // Truncated: nothing flows back into the last step's states, and their gradients
                // at the first step are not needed.
                arguments.put(DNNL_ARG_DIFF_DST_ITER, zeroState);
                arguments.put(DNNL_ARG_DIFF_DST_ITER_C, zeroState);
                arguments.put(DNNL_ARG_DIFF_SRC_LAYER, sequenceGradient);
                arguments.put(DNNL_ARG_DIFF_SRC_ITER, owned(state));
                arguments.put(DNNL_ARG_DIFF_SRC_ITER_C, owned(state));
                arguments.put(DNNL_ARG_DIFF_WEIGHTS_LAYER, inputWeightGradient);
                arguments.put(DNNL_ARG_DIFF_WEIGHTS_ITER, recurrentWeightGradient);
                arguments.put(DNNL_ARG_DIFF_BIAS, biasGradient);
                steps.add(new Step(own(new lstm_backward(descriptor)), arguments));
                steps.addAll(after);
                backward = steps;
            }
            return backward;
        }
    }
}
