package org.dl4jlabs.common.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * Times one {@link FractionalMaxPooling2D} layer alone, forward and backward, with the settings
 * of the layer's default (alpha = sqrt 2, pseudo-random, overlapping) on a float32 NCHW batch.
 * The layer has no parameters, so a step has nothing to update.
 */
public abstract class FractionalMaxPoolingBench implements BenchModel {

    private static final String WORKSPACE = "FMP_BENCH";
    private static final WorkspaceConfiguration WORKSPACE_CONFIG = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .build();

    private final String name;
    private final long[] inputShape;

    /** @param inputShape [batch, channels, height, width] */
    protected FractionalMaxPoolingBench(String name, long... inputShape) {
        this.name = name;
        this.inputShape = inputShape.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "one fractional max-pooling layer (sqrt 2, pseudo-random, overlapping), forward + backward on "
                + Arrays.toString(inputShape) + " float32";
    }

    @Override
    public int batchSize() {
        return (int) inputShape[0];
    }

    @Override
    public Runnable prepare(long seed) {
        Nd4j.getRandom().setSeed(seed);
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .layer(new FractionalMaxPooling2D.Builder().build())
                .build();
        FractionalMaxPooling2D fmp = (FractionalMaxPooling2D) conf.getLayer();
        Layer layer = fmp.instantiate(conf, List.of(), 0, null, false, DataType.FLOAT);

        INDArray input = Nd4j.rand(DataType.FLOAT, inputShape);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, inputShape[0], inputShape[1],
                fmp.outputHeight(inputShape[2]), fmp.outputWidth(inputShape[3]));
        // As in training: activations and gradients live in a workspace that each step reuses.
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.builder().defaultWorkspace(WORKSPACE, WORKSPACE_CONFIG).build();
        return () -> {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE_CONFIG, WORKSPACE)) {
                layer.activate(input, true, workspaces);
                layer.backpropGradient(outputGradient, workspaces);
            }
        };
    }
}
