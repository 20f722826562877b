package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;

/**
 * DL4J's updaters for a whole network, made to recognise the network's own gradient.
 *
 * <p>DL4J 1.0.0-M2.1's {@code BaseMultiLayerUpdater.update} tells the network's own gradient from
 * one computed elsewhere (an "external" gradient, as RL4J passes) by identity:
 * {@code gradient.gradient() != getFlattenedGradientsView()}. But {@code DefaultGradient.gradient()}
 * returns a new reshaped view on each call, so every step takes the external path. That path
 * slices each parameter's gradient and values out of the flat arrays again, twice per parameter
 * for the regularization passes even with no regularization: some hundred native calls a step,
 * more than the update itself for the MLP (docs/PERFORMANCE.md). The update it computes is the same. These subclasses hand DL4J the
 * very view it compares with when the gradient is the network's own, so it uses the views it keeps.
 *
 * <p>They also leave the division of the network's own gradient by the mini-batch size, a pass of
 * its own over every gradient in DL4J, to {@link FastAdamUpdater}'s loop, where nothing comes
 * between the two: when every block of parameters that DL4J would divide is updated by
 * {@link FastAdam}, with no gradient normalization and no penalty added to the gradient before the
 * update (L1, L2; weight decay comes after it). Otherwise DL4J divides, as it does.
 */
public final class OwnGradientUpdaters {

    private OwnGradientUpdaters() {
    }

    /** Gives {@code net} this updater, with the state (Adam's moments, say) it has so far. */
    public static void install(MultiLayerNetwork net) {
        if (!(net.getUpdater() instanceof MultiLayer)) {
            net.setUpdater(new MultiLayer(net, net.getUpdater().getStateViewArray()));
        }
    }

    /** Gives {@code graph} this updater, with the state it has so far. */
    public static void install(ComputationGraph graph) {
        if (!(graph.getUpdater() instanceof Graph)) {
            graph.setUpdater(new Graph(graph, graph.getUpdater().getStateViewArray()));
        }
    }

    /**
     * {@code gradient} with {@code gradient()} returning {@code view} itself when it is a view of
     * the same memory, else {@code gradient} unchanged (a truly external gradient).
     */
    static Gradient asOwn(Gradient gradient, INDArray view) {
        INDArray flat = gradient.gradient();
        if (view == null || flat == null || !sameMemory(flat, view)) {
            return gradient;
        }
        Gradient own = new DefaultGradient(view) {
            @Override
            public INDArray gradient() {
                return view;
            }
        };
        gradient.gradientForVariable().forEach((name, values) -> own.setGradientFor(name, values, gradient.flatteningOrderForVariable(name)));
        return own;
    }

    /**
     * Whether {@link FastAdamUpdater} can average the gradient in its own pass for every block that
     * DL4J divides by the mini-batch size (see the class comment).
     */
    static boolean averagesInAdam(List<UpdaterBlock> blocks, Trainable[] layers) {
        for (Trainable layer : layers) {
            GradientNormalization normalization = layer.getConfig().getGradientNormalization();
            if (normalization != null && normalization != GradientNormalization.None) {
                return false;
            }
        }
        for (UpdaterBlock block : blocks) {
            List<UpdaterBlock.ParamState> params = block.getLayersAndVariablesInBlock();
            long divided = params.stream().filter(p -> p.getLayer().updaterDivideByMinibatch(p.getParamName())).count();
            if (divided == 0) {
                continue;
            }
            if (divided < params.size() || block.isPretrainUpdaterBlock()
                    || !(block.getGradientUpdater() instanceof FastAdamUpdater)
                    || params.stream().anyMatch(OwnGradientUpdaters::penalisedBeforeUpdate)) {
                return false;
            }
        }
        return true;
    }

    private static boolean penalisedBeforeUpdate(UpdaterBlock.ParamState param) {
        List<Regularization> penalties = param.getLayer().getConfig().getRegularizationByParam(param.getParamName());
        return penalties != null && penalties.stream().anyMatch(r -> r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER);
    }

    /**
     * One network updater's choice of leaving the division by the mini-batch size to
     * {@link FastAdamUpdater}, made on its first step ({@link #averagesInAdam}).
     */
    static final class AdamAveraging {

        private Boolean applies;

        /**
         * Whether FastAdam takes this step's division over: it is the network's own gradient and
         * {@link #averagesInAdam} holds. Each FastAdam block is told the batch size then, and 1
         * otherwise, so that a size an earlier step left unconsumed (it threw) is never used.
         */
        boolean tookOver(boolean isExternal, List<UpdaterBlock> blocks, Trainable[] layers, int batchSize) {
            if (applies == null) {
                applies = averagesInAdam(blocks, layers);
            }
            boolean takesOver = applies && !isExternal;
            for (UpdaterBlock block : blocks) {
                if (block.getGradientUpdater() instanceof FastAdamUpdater adam) {
                    adam.averageNextGradientOver(takesOver ? batchSize : 1);
                }
            }
            return takesOver;
        }
    }

    private static boolean sameMemory(INDArray a, INDArray b) {
        return a.length() == b.length() && a.dataType() == b.dataType()
                && a.data().address() + a.offset() * a.dataType().width()
                == b.data().address() + b.offset() * b.dataType().width();
    }

    static final class MultiLayer extends MultiLayerUpdater {

        private final AdamAveraging averaging = new AdamAveraging();

        MultiLayer(MultiLayerNetwork net, INDArray state) {
            super(net, state);
        }

        @Override
        public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                        LayerWorkspaceMgr workspaceMgr) {
            super.update(asOwn(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize, workspaceMgr);
        }

        @Override
        protected void divideByMinibatch(boolean isExternal, Gradient gradient, int batchSize) {
            if (!averaging.tookOver(isExternal, getUpdaterBlocks(), getOrderedLayers(), batchSize)) {
                super.divideByMinibatch(isExternal, gradient, batchSize);
            }
        }
    }

    static final class Graph extends ComputationGraphUpdater {

        private final AdamAveraging averaging = new AdamAveraging();

        Graph(ComputationGraph graph, INDArray state) {
            super(graph, state);
        }

        @Override
        public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                        LayerWorkspaceMgr workspaceMgr) {
            super.update(asOwn(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize, workspaceMgr);
        }

        @Override
        protected void divideByMinibatch(boolean isExternal, Gradient gradient, int batchSize) {
            if (!averaging.tookOver(isExternal, getUpdaterBlocks(), getOrderedLayers(), batchSize)) {
                super.divideByMinibatch(isExternal, gradient, batchSize);
            }
        }
    }
}
