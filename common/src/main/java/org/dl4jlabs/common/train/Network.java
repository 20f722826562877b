package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MultiLayerNetwork} or a single-input, single-output {@link ComputationGraph}, seen
 * through the few calls training and evaluation need, so that the rest of {@code common} serves both.
 */
public final class Network {

    /**
     * Input values per loss batch: about a thousand MNIST digits or three hundred CIFAR images at a
     * time. Each batch is a call into DL4J with a fixed cost, which a few dozen small examples per call
     * repeat 150 times per epoch for MNIST; large photos, whose activations are large, still go 64 at a time.
     */
    static final long LOSS_BATCH_VALUES = 1L << 20;
    static final int MIN_LOSS_BATCH = 64;
    static final int MAX_LOSS_BATCH = 1024;

    private final MultiLayerNetwork multiLayer;
    private final ComputationGraph graph;

    private Network(MultiLayerNetwork multiLayer, ComputationGraph graph) {
        this.multiLayer = multiLayer;
        this.graph = graph;
    }

    public static Network of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return new Network(net, null);
        }
        if (model instanceof ComputationGraph net) {
            return new Network(null, net);
        }
        throw new IllegalArgumentException("not a MultiLayerNetwork or ComputationGraph: " + model.getClass());
    }

    public Model model() {
        return multiLayer != null ? multiLayer : graph;
    }

    /** One step of training on one mini-batch, with DL4J's updater {@linkplain OwnGradientUpdaters taking its short path}. */
    public void fit(DataSet batch) {
        if (multiLayer != null) {
            OwnGradientUpdaters.install(multiLayer);
            multiLayer.fit(batch);
        } else {
            OwnGradientUpdaters.install(graph);
            graph.fit(batch);
        }
    }

    /**
     * The data's loss in the last {@link #fit} step. DL4J's score adds the weight penalty (L1, L2,
     * weight decay), which is not a property of the data and would make the training loss
     * incomparable with the test loss; it is taken out here as in {@link #loss}.
     */
    public double lastLoss() {
        return model().score() - weightPenalty();
    }

    private double weightPenalty() {
        return multiLayer != null ? multiLayer.calcRegularizationScore(true) : graph.calcRegularizationScore(true);
    }

    /**
     * The data's loss on {@code data} (without the weight penalty DL4J's score adds), in inference
     * mode (no dropout), computed a batch at a time (see
     * {@link #LOSS_BATCH_VALUES}): a whole validation set of photos at once would need its activations
     * all at once.
     */
    public double loss(DataSet data) {
        int examples = data.numExamples();
        long valuesPerExample = Math.max(1, data.getFeatures().length() / Math.max(1, examples));
        int batch = (int) Math.max(MIN_LOSS_BATCH, Math.min(MAX_LOSS_BATCH, LOSS_BATCH_VALUES / valuesPerExample));
        if (examples <= batch) {
            return lossOf(data);
        }
        double total = 0;
        for (int start = 0; start < examples; start += batch) {
            int end = Math.min(examples, start + batch);
            DataSet part = new DataSet(rows(data.getFeatures(), start, end), rows(data.getLabels(), start, end));
            total += lossOf(part) * (end - start);
        }
        return total / examples;
    }

    private double lossOf(DataSet data) {
        if (multiLayer != null) {
            return multiLayer.score(data, false) - weightPenalty();
        }
        // ComputationGraph.score (DL4J 1.0.0-M2.1) computes every layer's activations outside its
        // workspaces, and they stay in native memory until the garbage collector runs, which a small
        // heap does seldom: scoring a test set every epoch took a residual network from 3 to 20 GB
        // resident. The loss is computed from the output instead.
        INDArray[] masks = data.getFeaturesMaskArray() == null ? null : new INDArray[]{data.getFeaturesMaskArray()};
        INDArray output = graph.output(false, new INDArray[]{data.getFeatures()}, masks)[0];
        double mean = loss(output, data.getLabels(), data.getLabelsMaskArray());
        output.close();
        return mean;
    }

    /**
     * The data's loss computed from the network's {@code output} for it, so that an epoch's test
     * score needs one forward pass for both the loss and the accuracy: the labels through the output
     * layer's loss function, with an identity activation as the output is already activated (softmax
     * probabilities, say). Clips {@code output} in place as DL4J's own score clips softmax
     * probabilities, where a probability of 0 would make the loss infinite.
     */
    public double loss(INDArray output, INDArray labels, INDArray labelsMask) {
        Layer outputLayer = multiLayer != null ? multiLayer.getOutputLayer().conf().getLayer()
                : graph.getOutputLayer(0).conf().getLayer();
        ILossFunction loss = ((BaseOutputLayer) outputLayer).getLossFn();
        if (loss instanceof LossMCXENT crossEntropy && crossEntropy.getSoftmaxClipEps() > 0) {
            double eps = crossEntropy.getSoftmaxClipEps();
            Transforms.min(Transforms.max(output, eps, false), 1 - eps, false);
        }
        return loss.computeScore(labels, output, new ActivationIdentity(), labelsMask, true);
    }

    private static INDArray rows(INDArray array, int start, int end) {
        return array.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
    }

    /** The network's output for a batch of features, in inference mode. */
    public INDArray output(INDArray features) {
        return multiLayer != null ? multiLayer.output(features, false) : graph.outputSingle(false, features);
    }

    /**
     * The output for many examples, {@code batch} at a time, stacked in order: photos through a large
     * network make activations too large to compute for all of them at once.
     */
    public INDArray output(INDArray features, int batch) {
        long examples = features.size(0);
        if (examples <= batch) {
            return output(features);
        }
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < examples; start += batch) {
            long end = Math.min(examples, start + batch);
            parts.add(output(features.get(NDArrayIndex.interval(start, end), NDArrayIndex.all())));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    public long numParams() {
        return model().numParams();
    }

    /** A one-line summary of the layers, for logs. */
    public String summary() {
        return multiLayer != null ? multiLayer.summary() : graph.summary();
    }
}
