package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.layers.onednn.OneDnnLstm;
import org.dl4jlabs.common.layers.onednn.OneDnnLstm.Geometry;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * The implementation of {@link FastLstm}: DL4J's LSTM layer with its training and inference passes
 * over whole sequences computed by oneDNN ({@link OneDnnLstm}), the backward pass reusing what the
 * forward pass kept instead of computing it again.
 *
 * <p>DL4J keeps each weight matrix as one column-major block per gate, in the order block input, forget,
 * output, input gate; oneDNN wants the same blocks in the order input gate, forget, block input,
 * output. The layer copies the parameters into that order before a forward pass, and the gradients
 * back after a backward pass, one copy per array.
 *
 * <p>Stored states (truncated back-propagation through time, {@code rnnTimeStep}) use DL4J's keys,
 * so the fast and stock paths can take over from each other. Single steps ({@code rnnTimeStep}),
 * masked sequences, gate activations other than the sigmoid, activations other than tanh, and a
 * truncated backward pass shorter than the forward one compute through DL4J's implementation.
 */
public class FastLstmLayer extends LSTM {

    /** For each of oneDNN's gates (input, forget, candidate, output), DL4J's block. */
    private static final int[] DL4J_BLOCK_OF_GATE = {3, 1, 0, 2};
    /** For each of DL4J's blocks, oneDNN's gate. */
    private static final int[] GATE_OF_DL4J_BLOCK = {2, 1, 3, 0};

    private final OneDnnLstm oneDnn = new OneDnnLstm();

    /** The parameters in oneDNN's gate order, refreshed before each forward pass, and their gradients. */
    private INDArray inputWeights;
    private INDArray recurrentWeights;
    private INDArray bias;
    private INDArray inputWeightGradient;
    private INDArray recurrentWeightGradient;
    private INDArray biasGradient;

    /** The input of the last training forward pass, whose state oneDNN keeps for the backward pass. */
    private INDArray forwardInput;
    private Geometry forwardGeometry;
    /** That pass's initial states, held so their memory stays valid for the backward pass. */
    private INDArray[] forwardInitialState;

    public FastLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.activate(training, workspaceMgr);
        }
        return forward(training, null, null, ArrayType.ACTIVATIONS, workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        if (!fastPathApplies()) {
            return super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
        }
        return forward(training, tBpttStateMap, storeLastForTBPTT ? tBpttStateMap : null, ArrayType.ACTIVATIONS,
                workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        return backward(epsilon, null, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackwardLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies() || tbpttBackwardLength < steps(input)) {
            return super.tbpttBackpropGradient(epsilon, tbpttBackwardLength, workspaceMgr);
        }
        return backward(epsilon, stateMap, workspaceMgr);
    }

    /**
     * The output sequence, from the states in {@code initialState} (zeros when absent); the last
     * step's states are put into {@code lastState} unless it is null. The output is an array of
     * {@code outputType}: the activations, or working memory when a backward pass makes it again.
     */
    private INDArray forward(boolean training, Map<String, INDArray> initialState, Map<String, INDArray> lastState,
                             ArrayType outputType, LayerWorkspaceMgr workspaceMgr) {
        ArrayType workingMemory = outputType == ArrayType.ACTIVATIONS ? ArrayType.FF_WORKING_MEM : ArrayType.BP_WORKING_MEM;
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = OneDnn.dense(input.castTo(dataType), workingMemory, workspaceMgr);
        Geometry geometry = geometry(in, training);
        copyParametersInGateOrder(training, workspaceMgr);
        INDArray h0 = state(initialState, STATE_KEY_PREV_ACTIVATION);
        INDArray c0 = state(initialState, STATE_KEY_PREV_MEMCELL);
        INDArray output = workspaceMgr.createUninitialized(outputType, dataType,
                sequenceShape(geometry, geometry.units()), 'c');
        INDArray hT = null;
        INDArray cT = null;
        if (lastState != null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                hT = Nd4j.createUninitialized(dataType, geometry.batch(), geometry.units());
                cT = Nd4j.createUninitialized(dataType, geometry.batch(), geometry.units());
            }
        }
        oneDnn.forward(geometry, in, inputWeights, recurrentWeights, bias, h0, c0, output, hT, cT);
        if (lastState != null) {
            lastState.put(STATE_KEY_PREV_ACTIVATION, hT);
            lastState.put(STATE_KEY_PREV_MEMCELL, cT);
        }
        if (training) {
            forwardInput = input;
            forwardGeometry = geometry;
            forwardInitialState = new INDArray[]{h0, c0};
        } else {
            forwardInput = null;
        }
        return output;
    }

    /** The gradients for the last training forward pass over this input, made again if it was not this input's. */
    private Pair<Gradient, INDArray> backward(INDArray epsilon, Map<String, INDArray> initialState,
                                              LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (forwardInput == null || forwardInput != input) {
            forward(true, initialState, initialState == null ? null : tBpttStateMap, ArrayType.BP_WORKING_MEM,
                    workspaceMgr);
        }
        Geometry geometry = forwardGeometry;
        forwardInput = null;
        INDArray outputGradient = OneDnn.dense(epsilon.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                sequenceShape(geometry, geometry.inputs()), 'c');
        oneDnn.backward(geometry, outputGradient, inputWeights, recurrentWeights, inputGradient,
                inputWeightGradient, recurrentWeightGradient, biasGradient);
        forwardInitialState = null;

        Gradient gradient = new DefaultGradient();
        for (String key : new String[]{LSTMParamInitializer.INPUT_WEIGHT_KEY, LSTMParamInitializer.RECURRENT_WEIGHT_KEY,
                LSTMParamInitializer.BIAS_KEY}) {
            INDArray view = gradientViews.get(key);
            Nd4j.pullRows(gradientOf(key), gateBlocks(view), 1, GATE_OF_DL4J_BLOCK);
            gradient.gradientForVariable().put(key, view);
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGradient));
    }

    private INDArray gradientOf(String key) {
        return switch (key) {
            case LSTMParamInitializer.INPUT_WEIGHT_KEY -> inputWeightGradient;
            case LSTMParamInitializer.RECURRENT_WEIGHT_KEY -> recurrentWeightGradient;
            default -> biasGradient;
        };
    }

    /** The parameters (with weight noise, if any, while training) in oneDNN's gate order. */
    private void copyParametersInGateOrder(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray dl4jInputWeights = gateBlocks(getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, training, workspaceMgr));
        INDArray dl4jRecurrentWeights = gateBlocks(getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr));
        INDArray dl4jBias = gateBlocks(getParamWithNoise(LSTMParamInitializer.BIAS_KEY, training, workspaceMgr));
        if (inputWeights == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                inputWeights = Nd4j.createUninitialized(dataType, dl4jInputWeights.shape());
                recurrentWeights = Nd4j.createUninitialized(dataType, dl4jRecurrentWeights.shape());
                bias = Nd4j.createUninitialized(dataType, dl4jBias.shape());
                inputWeightGradient = Nd4j.createUninitialized(dataType, dl4jInputWeights.shape());
                recurrentWeightGradient = Nd4j.createUninitialized(dataType, dl4jRecurrentWeights.shape());
                biasGradient = Nd4j.createUninitialized(dataType, dl4jBias.shape());
            }
        }
        Nd4j.pullRows(dl4jInputWeights, inputWeights, 1, DL4J_BLOCK_OF_GATE);
        Nd4j.pullRows(dl4jRecurrentWeights, recurrentWeights, 1, DL4J_BLOCK_OF_GATE);
        Nd4j.pullRows(dl4jBias, bias, 1, DL4J_BLOCK_OF_GATE);
    }

    /**
     * A parameter (or gradient) as a c-order [4, rest] view: row g is DL4J's gate block g. DL4J's
     * [rows, 4 * units] matrices are 'f'-order, so each block of units columns is one contiguous run.
     */
    private static INDArray gateBlocks(INDArray parameter) {
        INDArray columnMajor = parameter.isRowVector() && parameter.elementWiseStride() == 1 ? parameter
                : OneDnn.columnMajor(parameter);
        long block = columnMajor.length() / 4;
        return Nd4j.create(columnMajor.data(), new long[]{4, block}, new long[]{block, 1}, columnMajor.offset(), 'c');
    }

    /** A stored state as a dense c-order [batch, units] array outside any workspace, or null. */
    private INDArray state(Map<String, INDArray> states, String key) {
        INDArray state = states == null ? null : states.get(key);
        if (state == null || OneDnn.isDense(state) && !state.isAttached()) {
            return state;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return state.dup('c');
        }
    }

    /**
     * Fast layers on, oneDNN loaded, float arrays, a whole sequence without a mask, and the gates and
     * activation oneDNN's LSTM computes (sigmoid gates, tanh).
     */
    private boolean fastPathApplies() {
        org.deeplearning4j.nn.conf.layers.LSTM conf = layerConf();
        return FastPath.takeOneDnn(this, dataType == DataType.FLOAT && maskArray == null
                && conf.getGateActivationFn() instanceof ActivationSigmoid
                && conf.getActivationFn() instanceof ActivationTanH
                && input != null && input.rank() == 3
                && input.size(channelsLast() ? 2 : 1) == conf.getNIn());
    }

    private Geometry geometry(INDArray in, boolean training) {
        return new Geometry(steps(in), in.size(0), layerConf().getNIn(), layerConf().getNOut(), channelsLast(), training);
    }

    private long steps(INDArray sequence) {
        return sequence.size(channelsLast() ? 1 : 2);
    }

    private static long[] sequenceShape(Geometry geometry, long features) {
        return geometry.channelsLast() ? new long[]{geometry.batch(), geometry.steps(), features}
                : new long[]{geometry.batch(), features, geometry.steps()};
    }

    private boolean channelsLast() {
        return getDataFormat() == RNNFormat.NWC;
    }
}
