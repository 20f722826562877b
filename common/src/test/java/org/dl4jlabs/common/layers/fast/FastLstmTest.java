package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.dl4jlabs.common.layers.fast.FastLayersTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * {@link FastLstm} computes what DL4J's {@code LSTM} computes: outputs, every parameter's gradient,
 * the input's gradient (through a second LSTM layer), and three Adam updates, for plain stacks,
 * truncated back-propagation through time, channels-last sequences, and the wrappers the apps use;
 * masked sequences fall back to DL4J's implementation.
 */
class FastLstmTest {

    private static final int BATCH = 5;
    private static final int FEATURES = 3;

    @BeforeAll
    static void backend() {
        Backend.init(2);
    }

    private static NeuralNetConfiguration.ListBuilder layers() {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT).updater(new Adam(0.05)).list();
    }

    private static LSTM lstm(int units) {
        return new LSTM.Builder().nOut(units).activation(Activation.TANH).forgetGateBiasInit(1.0).build();
    }

    /** Two LSTMs and an output at every step; with {@code tbptt} > 0, truncated over segments of that length. */
    private static MultiLayerConfiguration sequenceToSequence(RNNFormat format, int tbptt) {
        NeuralNetConfiguration.ListBuilder list = layers()
                .layer(new LSTM.Builder().nOut(6).activation(Activation.TANH).dataFormat(format).build())
                .layer(new LSTM.Builder().nOut(4).activation(Activation.TANH).dataFormat(format).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                        .dataFormat(format).build());
        if (tbptt > 0) {
            list.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(tbptt).tBPTTBackwardLength(tbptt);
        }
        return list.setInputType(InputType.recurrent(FEATURES, format)).build();
    }

    /** The apps' classifier: an LSTM, then a bidirectional one read at the last step, softmax. */
    private static MultiLayerConfiguration classifier() {
        return layers()
                .layer(lstm(6))
                .layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.CONCAT, lstm(4))))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(FEATURES)).build();
    }

    private static INDArray sequences(RNNFormat format, int steps) {
        Nd4j.getRandom().setSeed(5);
        INDArray ncw = Nd4j.rand(DataType.FLOAT, BATCH, FEATURES, steps).subi(0.5).muli(2);
        return format == RNNFormat.NWC ? ncw.permute(0, 2, 1).dup('c') : ncw;
    }

    private static INDArray stepLabels(RNNFormat format, int steps) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 2, steps);
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < steps; t++) {
                labels.putScalar(new int[]{i, (i + t) % 2, t}, 1);
            }
        }
        return format == RNNFormat.NWC ? labels.permute(0, 2, 1).dup('c') : labels;
    }

    /** The stock network, and the accelerated one with the same parameters. */
    private static MultiLayerNetwork[] pair(MultiLayerConfiguration conf) {
        MultiLayerNetwork stock = new MultiLayerNetwork(conf.clone());
        stock.init();
        MultiLayerNetwork fast = FastLayers.acceleratedNetwork(conf, EnumSet.of(FastLayers.Kind.LSTM));
        fast.setParams(stock.params().dup());
        return new MultiLayerNetwork[]{stock, fast};
    }

    /** Outputs, gradients and then three updates agree; the fast path ran for them. */
    private static void assertTrainsAlike(MultiLayerConfiguration conf, INDArray features, INDArray labels) {
        assumeTrue(OneDnn.available(), "oneDNN's natives did not load");
        MultiLayerNetwork[] nets = pair(conf);
        MultiLayerNetwork stock = nets[0];
        MultiLayerNetwork fast = nets[1];
        long fastPasses = FastPath.fastPasses(FastLstmLayer.class);

        assertClose(stock.output(features), fast.output(features), "outputs");
        stock.setInput(features);
        stock.setLabels(labels);
        stock.computeGradientAndScore();
        fast.setInput(features);
        fast.setLabels(labels);
        fast.computeGradientAndScore();
        assertEquals(stock.score(), fast.score(), 1e-5, "loss");
        stock.gradient().gradientForVariable().forEach((name, expected) ->
                assertClose(expected, fast.gradient().gradientForVariable().get(name), "gradient of " + name));

        for (int step = 0; step < 3; step++) {
            stock.fit(features, labels);
            fast.fit(features, labels);
        }
        assertClose(stock.params(), fast.params(), "parameters after three updates");
        assertTrue(FastPath.fastPasses(FastLstmLayer.class) > fastPasses, "the oneDNN LSTM never ran");
    }

    @Test
    void aStackOfTwoComputesWhatDl4jComputes() {
        assertTrainsAlike(sequenceToSequence(RNNFormat.NCW, 0), sequences(RNNFormat.NCW, 7), stepLabels(RNNFormat.NCW, 7));
    }

    @Test
    void channelsLastSequencesToo() {
        assertTrainsAlike(sequenceToSequence(RNNFormat.NWC, 0), sequences(RNNFormat.NWC, 7), stepLabels(RNNFormat.NWC, 7));
    }

    /** Segments of 4, 4 and 3 steps, each starting from the states the last one ended in. */
    @Test
    void truncatedBackpropagationThroughTimeCarriesTheStates() {
        assumeTrue(OneDnn.available(), "oneDNN's natives did not load");
        MultiLayerNetwork[] nets = pair(sequenceToSequence(RNNFormat.NCW, 4));
        INDArray features = sequences(RNNFormat.NCW, 11);
        for (int start = 0; start < 11; start += 4) {
            INDArray segment = features.get(all(), all(), interval(start, Math.min(start + 4, 11)));
            INDArray stock = nets[0].rnnActivateUsingStoredState(segment, true, true).get(2);
            INDArray fast = nets[1].rnnActivateUsingStoredState(segment, true, true).get(2);
            assertClose(stock, fast, "outputs of the segment from step " + start);
            nets[0].updateRnnStateWithTBPTTState();
            nets[1].updateRnnStateWithTBPTTState();
        }
    }

    /**
     * A segment's gradients from non-zero initial states, against central differences of the loss.
     * Not against DL4J's: from such states its LSTM's gradients disagree with the differences
     * (found while writing this layer; from zero states they agree, see the tests above).
     */
    @Test
    void aSegmentsGradientsFromStoredStatesMatchFiniteDifferences() {
        assumeTrue(OneDnn.available(), "oneDNN's natives did not load");
        MultiLayerNetwork net = pair(sequenceToSequence(RNNFormat.NCW, 4))[1];
        INDArray features = sequences(RNNFormat.NCW, 4);
        INDArray labels = stepLabels(RNNFormat.NCW, 4);
        Nd4j.getRandom().setSeed(3);
        List<Map<String, INDArray>> states = List.of(
                Map.of(FastLstmLayer.STATE_KEY_PREV_ACTIVATION, Nd4j.rand(DataType.FLOAT, BATCH, 6).subi(0.5),
                        FastLstmLayer.STATE_KEY_PREV_MEMCELL, Nd4j.rand(DataType.FLOAT, BATCH, 6).subi(0.5)),
                Map.of(FastLstmLayer.STATE_KEY_PREV_ACTIVATION, Nd4j.rand(DataType.FLOAT, BATCH, 4).subi(0.5),
                        FastLstmLayer.STATE_KEY_PREV_MEMCELL, Nd4j.rand(DataType.FLOAT, BATCH, 4).subi(0.5)));
        lossFromStates(net, states, features, labels);
        Map<String, INDArray> gradients = new HashMap<>();
        net.gradient().gradientForVariable().forEach((name, gradient) -> gradients.put(name, gradient.dup()));
        for (String name : List.of("0_W", "0_RW", "0_b", "1_W", "1_RW", "1_b")) {
            INDArray parameter = net.getParam(name);
            for (long i = 0; i < parameter.length(); i += 5) {
                long row = i / parameter.columns();
                long column = i % parameter.columns();
                float original = parameter.getFloat(row, column);
                parameter.putScalar(row, column, original + 1e-2f);
                double up = lossFromStates(net, states, features, labels);
                parameter.putScalar(row, column, original - 1e-2f);
                double down = lossFromStates(net, states, features, labels);
                parameter.putScalar(row, column, original);
                // DL4J's updater divides the gradient by the batch size; the loss is already a mean.
                double expected = (up - down) / 2e-2;
                double actual = gradients.get(name).getDouble(row, column) / BATCH;
                assertEquals(expected, actual, 2e-4 + 0.05 * Math.abs(expected),
                        "dL/d" + name + "[" + row + ", " + column + "]");
            }
        }
    }

    private static double lossFromStates(MultiLayerNetwork net, List<Map<String, INDArray>> states, INDArray features,
                                         INDArray labels) {
        for (int layer = 0; layer < states.size(); layer++) {
            RecurrentLayer recurrent = (RecurrentLayer) net.getLayer(layer);
            recurrent.rnnSetTBPTTState(new HashMap<>(states.get(layer)));
            recurrent.rnnSetPreviousState(new HashMap<>(states.get(layer)));
        }
        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.score();
    }

    @Test
    void insideLastTimeStepAndBidirectional() {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 3);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        MultiLayerConfiguration conf = classifier();
        assertTrainsAlike(conf, sequences(RNNFormat.NCW, 9), labels);

        MultiLayerConfiguration accelerated = FastLayers.accelerate(conf);
        assertInstanceOf(FastLstm.class, accelerated.getConf(0).getLayer());
        Bidirectional both = (Bidirectional) ((LastTimeStep) accelerated.getConf(1).getLayer()).getUnderlying();
        assertInstanceOf(FastLstm.class, both.getFwd());
        assertInstanceOf(FastLstm.class, both.getBwd());
    }

    /**
     * oneDNN has no masks: a masked batch goes through DL4J's implementation, with its results.
     * (In a {@code MultiLayerNetwork} only a wrapper hands an LSTM the mask: DL4J's plain LSTM
     * ignores it.)
     */
    @Test
    void maskedSequencesFallBackToDl4j() {
        MultiLayerNetwork[] nets = pair(classifier());
        INDArray features = sequences(RNNFormat.NCW, 6);
        INDArray mask = Nd4j.ones(DataType.FLOAT, BATCH, 6);
        mask.putScalar(0, 5, 0);
        mask.putScalar(1, 4, 0);
        mask.putScalar(1, 5, 0);
        long fallbacks = FastPath.fallbacks(FastLstmLayer.class);
        assertClose(nets[0].output(features, false, mask, null), nets[1].output(features, false, mask, null),
                "masked outputs");
        assertTrue(FastPath.fallbacks(FastLstmLayer.class) > fallbacks, "the masked batch took the fast path");
    }

    /** Sampling one step at a time (DL4J's code) gives what the fast path gives for the whole sequence. */
    @Test
    void stepByStepAfterTrainingAndAfterLoading(@TempDir Path directory) throws IOException {
        MultiLayerNetwork[] nets = pair(sequenceToSequence(RNNFormat.NCW, 4));
        INDArray features = sequences(RNNFormat.NCW, 8);
        INDArray labels = stepLabels(RNNFormat.NCW, 8);
        nets[0].fit(features, labels);
        nets[1].fit(features, labels);
        File file = directory.resolve("model.zip").toFile();
        ModelSerializer.writeModel(nets[1], file, true);
        MultiLayerNetwork loaded = MultiLayerNetwork.load(file, true);
        assertInstanceOf(FastLstmLayer.class, loaded.getLayer(0));

        for (MultiLayerNetwork net : new MultiLayerNetwork[]{nets[1], loaded}) {
            INDArray whole = net.output(features);
            net.rnnClearPreviousState();
            for (int t = 0; t < 8; t++) {
                INDArray step = net.rnnTimeStep(features.get(all(), all(), point(t)));
                assertClose(whole.slice(t, 2), step, "step " + t);
            }
        }
    }
}
