package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.backend.NativeFloats;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.lang.ref.Reference;

/**
 * DL4J's mean squared error ({@code LossMSE}) on a sigmoid or linear output, its summed loss and
 * its gradient dL/dZ in one pass over the batch's floats: what a denoising autoencoder's output
 * layer computes every step over every pixel. DL4J's loss makes about a dozen whole-array ND4J
 * operations of it, each a native call with a new array (the sigmoid twice, its derivative from Z
 * again), several times what this pass costs (docs/PERFORMANCE.md).
 * The sigmoid is ND4J's own op, as DL4J's activation applies it, or one already applied (by oneDNN
 * inside the output layer's product, in {@link FastOutputLayer}). Per example, with n outputs, a
 * the activations and y the labels: loss = sum((a - y)^2) / n and dL/dZ = 2 (a - y) a (1 - a) / n
 * (without the a (1 - a) for a linear output).
 */
final class SquaredErrorOnSigmoid {

    private float[] activations = new float[0];
    private float[] labels = new float[0];
    private float[] delta = new float[0];

    /** Whether this covers the loss: plain MSE, no per-output weights or mask, on float arrays. */
    static boolean covers(ILossFunction loss, IActivation activation, INDArray mask, DataType type) {
        return loss.getClass() == LossMSE.class && ((LossMSE) loss).getWeights() == null && mask == null
                && type == DataType.FLOAT
                && (activation.getClass() == ActivationSigmoid.class || activation.getClass() == ActivationIdentity.class);
    }

    /** The loss summed over the batch's examples, and dL/dZ. */
    record LossAndGradient(double lossSum, INDArray gradient) {
    }

    /** The loss summed over the batch's examples, without the gradient: a test set's score. */
    double lossSum(INDArray labels2d, INDArray preOutput, IActivation activation, LayerWorkspaceMgr workspaceMgr) {
        return pass(labels2d, activated(preOutput, activation, workspaceMgr, ArrayType.FF_WORKING_MEM),
                activation instanceof ActivationSigmoid, workspaceMgr, ArrayType.FF_WORKING_MEM, false).lossSum();
    }

    /** As {@link #lossSum}, from the output of a sigmoid already applied (inside the product, say). */
    double lossSumOfSigmoid(INDArray labels2d, INDArray output, LayerWorkspaceMgr workspaceMgr) {
        return pass(labels2d, output, true, workspaceMgr, ArrayType.FF_WORKING_MEM, false).lossSum();
    }

    LossAndGradient compute(INDArray labels2d, INDArray preOutput, IActivation activation, LayerWorkspaceMgr workspaceMgr) {
        return pass(labels2d, activated(preOutput, activation, workspaceMgr, ArrayType.BP_WORKING_MEM),
                activation instanceof ActivationSigmoid, workspaceMgr, ArrayType.BP_WORKING_MEM, true);
    }

    /** As {@link #compute}, from the output of a sigmoid already applied: dL/dZ needs only the output. */
    LossAndGradient computeOfSigmoid(INDArray labels2d, INDArray output, LayerWorkspaceMgr workspaceMgr) {
        return pass(labels2d, output, true, workspaceMgr, ArrayType.BP_WORKING_MEM, true);
    }

    /** The activations from Z: ND4J's own sigmoid op, as DL4J's activation applies it, or Z itself. */
    private static INDArray activated(INDArray preOutput, IActivation activation, LayerWorkspaceMgr workspaceMgr,
                                      ArrayType memory) {
        if (!(activation instanceof ActivationSigmoid)) {
            return preOutput;
        }
        INDArray output = workspaceMgr.createUninitialized(memory, DataType.FLOAT, preOutput.shape(), 'c');
        Nd4j.exec(new Sigmoid(preOutput, output));
        return output;
    }

    private LossAndGradient pass(INDArray labels2d, INDArray activated, boolean sigmoid,
                                 LayerWorkspaceMgr workspaceMgr, ArrayType memory, boolean withGradient) {
        int n = Math.toIntExact(activated.length());
        INDArray output = NativeFloats.wholeBuffer(activated);
        if (activations.length < n) {
            activations = new float[n];
            labels = new float[n];
        }
        if (withGradient && delta.length < n) {
            delta = new float[n];
        }
        output.data().asNioFloat().get(0, activations, 0, n);
        INDArray wholeLabels = NativeFloats.wholeBuffer(labels2d);
        wholeLabels.data().asNioFloat().get(0, labels, 0, n);
        Reference.reachabilityFence(output);
        Reference.reachabilityFence(wholeLabels);

        long outputs = activated.size(1);
        float scale = 2f / outputs;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float error = activations[i] - labels[i];
            sum += error * error;
        }
        if (!withGradient) {
            return new LossAndGradient(sum / outputs, null);
        }
        for (int i = 0; i < n; i++) {
            float a = activations[i];
            float error = a - labels[i];
            delta[i] = sigmoid ? scale * error * a * (1 - a) : scale * error;
        }
        INDArray dLdZ = workspaceMgr.createUninitialized(memory, DataType.FLOAT, activated.shape(), 'c');
        dLdZ.data().asNioFloat().put(0, delta, 0, n);
        return new LossAndGradient(sum / outputs, dLdZ);
    }
}
