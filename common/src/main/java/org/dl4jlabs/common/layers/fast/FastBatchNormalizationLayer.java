package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.layers.onednn.OneDnnBatchNormalization;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.BETA;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GAMMA;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_LOG_STD;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_MEAN;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_VAR;

/**
 * The implementation of {@link FastBatchNormalization}: DL4J's batch normalization layer with its
 * training passes on float images computed by oneDNN ({@link OneDnnBatchNormalization}), and a
 * ReLU applied when it is the layer's activation (fused into oneDNN's passes on the fast path).
 *
 * <p>The training forward pass keeps the batch mean and variance for the backward pass. The
 * running statistics are updated as DL4J's layer updates them: the backward pass returns, as the
 * "gradients" of the global mean and variance (or log10 standard deviation), the steps that DL4J's
 * no-op updater for those parameters subtracts.
 */
public class FastBatchNormalizationLayer extends BatchNormalization {

    private static final double ONE_OVER_TWO_LN_10 = 1.0 / (2 * Math.log(10.0));

    private final OneDnnBatchNormalization oneDnn = new OneDnnBatchNormalization();
    private BatchStatistics kept;

    public FastBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private record BatchStatistics(INDArray input, INDArray mean, INDArray variance) {
    }

    private boolean fastPathApplies(INDArray x) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        int channelAxis = conf.getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
        return FastPath.takeOneDnn(this, x.rank() == 4 && x.size(channelAxis) == conf.getNOut()
                && x.dataType() == DataType.FLOAT && dataType == DataType.FLOAT && !conf.isLockGammaBeta());
    }

    private boolean rectifies() {
        return ((FastBatchNormalization) layerConf()).rectifies();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept = null;
        if (!training || !fastPathApplies(input)) {
            INDArray normalized = super.activate(training, workspaceMgr);
            return rectifies() ? Transforms.relu(normalized, false) : normalized;
        }
        assertInputSet(false);
        INDArray x = OneDnn.dense(input);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        kept = forward(x, y);
        return y;
    }

    private BatchStatistics forward(INDArray x, INDArray y) {
        // Detached: the backward pass reads them after the forward pass's workspaces have moved on.
        BatchStatistics statistics = new BatchStatistics(input,
                Nd4j.createUninitializedDetached(DataType.FLOAT, layerConf().getNOut()),
                Nd4j.createUninitializedDetached(DataType.FLOAT, layerConf().getNOut()));
        oneDnn.forward(geometry(x), x, getParam(GAMMA), getParam(BETA), y, statistics.mean(), statistics.variance());
        return statistics;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!fastPathApplies(input) || epsilon.dataType() != DataType.FLOAT) {
            kept = null;
            return super.backpropGradient(rectifies() ? zeroWhereNotRectified(epsilon) : epsilon, workspaceMgr);
        }
        INDArray x = OneDnn.dense(input);
        if (kept == null || kept.input() != input) {
            // The input changed since the training pass (or there was none): its statistics are stale.
            kept = forward(x, Nd4j.createUninitialized(DataType.FLOAT, x.shape()));
        }
        INDArray dy = OneDnn.dense(epsilon);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c');
        INDArray dGamma = gradientViews.get(GAMMA);
        INDArray dBeta = gradientViews.get(BETA);
        oneDnn.backward(geometry(x), x, dy, getParam(GAMMA), getParam(BETA), kept.mean(), kept.variance(), dx, dGamma,
                dBeta);

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(GAMMA, dGamma);
        gradient.setGradientFor(BETA, dBeta);
        runningStatisticsSteps(gradient);
        kept = null;
        return new Pair<>(gradient, dx);
    }

    /**
     * The gradient through the ReLU on DL4J's path: zero where the normalized input was not
     * positive. DL4J's layer keeps no output, so the training forward pass is run again; it only
     * recomputes the batch statistics the backward pass reads.
     */
    private INDArray zeroWhereNotRectified(INDArray epsilon) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray normalized = super.activate(true, LayerWorkspaceMgr.noWorkspaces());
            return epsilon.mul(normalized.gt(0).castTo(epsilon.dataType()));
        }
    }

    /** The steps DL4J's layer takes its running mean and variance (or log10 std) towards the batch's. */
    private void runningStatisticsSteps(Gradient gradient) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        double keep = conf.getDecay();
        INDArray batchMean = kept.mean();
        INDArray batchVariance = kept.variance();

        INDArray globalMean = getParam(GLOBAL_MEAN);
        INDArray meanStep = gradientViews.get(GLOBAL_MEAN);
        meanStep.assign(globalMean.reshape(batchMean.shape()).sub(batchMean).muli(1 - keep).reshape(meanStep.shape()));
        gradient.setGradientFor(GLOBAL_MEAN, meanStep);

        if (conf.isUseLogStd()) {
            // log10(std now) - log10(std next), with var next = decay * var now + (1 - decay) * batch var
            INDArray variance = Nd4j.valueArrayOf(batchVariance.shape(), 10.0, DataType.FLOAT);
            variance = Nd4j.math().pow(variance, getParam(GLOBAL_LOG_STD).reshape(batchVariance.shape()).mul(2));
            INDArray next = variance.mul(keep).addi(batchVariance.mul(1 - keep));
            INDArray logStdStep = gradientViews.get(GLOBAL_LOG_STD);
            logStdStep.assign(Nd4j.math().log(variance.divi(next)).muli(ONE_OVER_TWO_LN_10).reshape(logStdStep.shape()));
            gradient.setGradientFor(GLOBAL_LOG_STD, logStdStep);
        } else {
            INDArray varianceStep = gradientViews.get(GLOBAL_VAR);
            varianceStep.assign(getParam(GLOBAL_VAR).reshape(batchVariance.shape()).sub(batchVariance).muli(1 - keep)
                    .reshape(varianceStep.shape()));
            gradient.setGradientFor(GLOBAL_VAR, varianceStep);
        }
    }

    private OneDnnBatchNormalization.Geometry geometry(INDArray x) {
        boolean channelsLast = layerConf().getCnn2DFormat() == CNN2DFormat.NHWC;
        return new OneDnnBatchNormalization.Geometry(x.size(0), layerConf().getNOut(), x.size(channelsLast ? 1 : 2),
                x.size(channelsLast ? 2 : 3), channelsLast, rectifies(), (float) layerConf().getEps());
    }
}
