package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.train.FastAdam;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The suite's fast implementations of DL4J's layers, switched in by one call.
 *
 * <p>A model factory describes its network in stock DL4J builders, so it can be pasted into any
 * DL4J project. An app then calls {@link #accelerate} on the configuration before building the
 * network: every layer the suite has a faster implementation of is replaced by it, with the same
 * settings and parameters, so the network computes the same function and saves to the same kind
 * of model file:
 *
 * <table>
 * <caption>What {@code accelerate} replaces</caption>
 * <tr><th>stock DL4J</th><th>replaced by</th></tr>
 * <tr><td>{@code DenseLayer} (with bias, no layer norm)</td><td>{@link FastDense}</td></tr>
 * <tr><td>{@code OutputLayer}</td><td>{@link FastOutput}</td></tr>
 * <tr><td>{@code ConvolutionLayer}</td><td>{@link FastConvolution2D}</td></tr>
 * <tr><td>{@code BatchNormalization}, with an {@code ActivationLayer(RELU)} after it</td>
 *     <td>{@link FastBatchNormalization} with the ReLU inside it, the activation layer removed</td></tr>
 * <tr><td>{@code SubsamplingLayer} with max pooling</td><td>{@link FastMaxPooling2D}</td></tr>
 * <tr><td>{@code Upsampling2D}</td><td>{@link FastUpsampling2D} (its forward pass)</td></tr>
 * <tr><td>{@code LSTM}, also inside {@code LastTimeStep} and {@code Bidirectional}</td><td>{@link FastLstm}</td></tr>
 * <tr><td>the {@code Adam} updater</td><td>{@link FastAdam}</td></tr>
 * </table>
 *
 * <p>The network's first dense or convolution layer also stops computing the gradient for the
 * input data, which nothing uses (as PyTorch skips it for inputs that need none).
 *
 * <p>A {@code ComputationGraphConfiguration} (a residual network, say) is accelerated the same way,
 * vertex by vertex: a batch normalization whose only consumer is a ReLU activation layer takes the
 * ReLU in, and the consumers of the ReLU read from the batch normalization instead.
 *
 * <p>The off switch: with the system property {@value #DISABLE} set to {@code true}, the fast
 * layers compute through DL4J's own implementations, as {@code ./labs bench --stock} does to
 * measure DL4J as shipped. It is read on every pass ({@link FastPath}), so a test can compare both
 * paths in one JVM.
 */
public final class FastLayers {

    public static final String DISABLE = "dl4jlabs.fast-layers.disable";

    /** The kinds of layer {@link #accelerate(MultiLayerConfiguration, Set)} may replace. */
    public enum Kind { DENSE, CONVOLUTION, BATCH_NORMALIZATION, MAX_POOLING, UPSAMPLING, LSTM, ADAM }

    private FastLayers() {
    }

    public static boolean enabled() {
        return !Boolean.getBoolean(DISABLE);
    }

    /** A copy of {@code conf} with every layer the suite has a fast implementation of replaced by it. */
    public static MultiLayerConfiguration accelerate(MultiLayerConfiguration conf) {
        return accelerate(conf, EnumSet.allOf(Kind.class));
    }

    /** The network {@code conf} describes, {@linkplain #accelerate accelerated} and initialised. */
    public static MultiLayerNetwork acceleratedNetwork(MultiLayerConfiguration conf) {
        return acceleratedNetwork(conf, EnumSet.allOf(Kind.class));
    }

    /** The network {@code conf} describes, with the layers of the given kinds accelerated, initialised. */
    public static MultiLayerNetwork acceleratedNetwork(MultiLayerConfiguration conf, Set<Kind> kinds) {
        MultiLayerNetwork net = new MultiLayerNetwork(accelerate(conf, kinds));
        net.init();
        return net;
    }

    /** A copy of {@code conf} with the layers of the given kinds replaced by their fast implementations. */
    public static MultiLayerConfiguration accelerate(MultiLayerConfiguration conf, Set<Kind> kinds) {
        MultiLayerConfiguration accelerated = conf.clone();
        List<NeuralNetConfiguration> layers = accelerated.getConfs();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i).getLayer();
            Layer fast;
            if (layer.getClass() == BatchNormalization.class && kinds.contains(Kind.BATCH_NORMALIZATION)) {
                boolean fuseRelu = i + 1 < layers.size() && isPlainRelu(layers.get(i + 1).getLayer())
                        && !accelerated.getInputPreProcessors().containsKey(i + 1);
                fast = batchNormalization((BatchNormalization) layer, fuseRelu);
                if (fuseRelu) {
                    removeLayer(accelerated, i + 1);
                }
            } else {
                // A preprocessor before the first layer (flat images to maps) backpropagates its gradient.
                boolean first = i == 0 && !accelerated.getInputPreProcessors().containsKey(0);
                fast = twin(layer, kinds, first);
            }
            if (kinds.contains(Kind.ADAM)) {
                useFastAdam(fast);
            }
            layers.get(i).setLayer(fast);
        }
        return accelerated;
    }

    /** A copy of {@code conf}, a graph, with every layer the suite has a fast implementation of replaced by it. */
    public static ComputationGraphConfiguration accelerate(ComputationGraphConfiguration conf) {
        return accelerate(conf, EnumSet.allOf(Kind.class));
    }

    /** The graph {@code conf} describes, {@linkplain #accelerate(ComputationGraphConfiguration) accelerated} and initialised. */
    public static ComputationGraph acceleratedGraph(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(accelerate(conf));
        graph.init();
        return graph;
    }

    /** A copy of the graph {@code conf} with the layers of the given kinds replaced by their fast implementations. */
    public static ComputationGraphConfiguration accelerate(ComputationGraphConfiguration conf, Set<Kind> kinds) {
        ComputationGraphConfiguration accelerated = conf.clone();
        Map<String, GraphVertex> vertices = accelerated.getVertices();
        for (String name : List.copyOf(vertices.keySet())) {
            // A ReLU fused into the batch normalization before it is gone from the map.
            if (!(vertices.get(name) instanceof LayerVertex vertex)) {
                continue;
            }
            Layer layer = vertex.getLayerConf().getLayer();
            Layer fast;
            if (layer.getClass() == BatchNormalization.class && kinds.contains(Kind.BATCH_NORMALIZATION)) {
                String relu = soleReluConsumer(accelerated, name);
                fast = batchNormalization((BatchNormalization) layer, relu != null);
                if (relu != null) {
                    bypass(accelerated, relu, name);
                }
            } else {
                boolean first = accelerated.getNetworkInputs().containsAll(accelerated.getVertexInputs().get(name));
                fast = twin(layer, kinds, first);
            }
            if (kinds.contains(Kind.ADAM)) {
                useFastAdam(fast);
            }
            vertex.getLayerConf().setLayer(fast);
        }
        // The order DL4J cached for the graph as built names vertices that may be gone.
        accelerated.setTopologicalOrder(null);
        accelerated.setTopologicalOrderStr(null);
        return accelerated;
    }

    /** The plain ReLU activation layer that alone reads vertex {@code name}'s output, or null. */
    private static String soleReluConsumer(ComputationGraphConfiguration conf, String name) {
        if (conf.getNetworkOutputs().contains(name)) {
            return null;
        }
        List<String> consumers = conf.getVertexInputs().entrySet().stream()
                .filter(inputs -> inputs.getValue().contains(name)).map(Map.Entry::getKey).toList();
        if (consumers.size() != 1 || !(conf.getVertices().get(consumers.get(0)) instanceof LayerVertex consumer)
                || consumer.getPreProcessor() != null || !isPlainRelu(consumer.getLayerConf().getLayer())) {
            return null;
        }
        return consumers.get(0);
    }

    /** Removes vertex {@code removed}, which has no parameters; whatever read it reads {@code source} instead. */
    private static void bypass(ComputationGraphConfiguration conf, String removed, String source) {
        conf.getVertices().remove(removed);
        conf.getVertexInputs().remove(removed);
        conf.getVertexInputs().values().forEach(inputs -> inputs.replaceAll(input -> input.equals(removed) ? source : input));
        conf.getNetworkOutputs().replaceAll(output -> output.equals(removed) ? source : output);
    }

    /**
     * The fast twin of a stock layer of one of {@code kinds}, or the layer itself (a wrapper with
     * the twins of what it wraps). The network's first layer skips the gradient for its input.
     */
    private static Layer twin(Layer layer, Set<Kind> kinds, boolean first) {
        Class<?> type = layer.getClass();
        if (type == DenseLayer.class && kinds.contains(Kind.DENSE) && ((DenseLayer) layer).hasBias()
                && !((DenseLayer) layer).hasLayerNorm()) {
            FastDense fast = LayerSettings.copy(layer, new FastDense(), FeedForwardLayer.class);
            if (first) {
                fast.skipInputGradient();
            }
            return fast;
        }
        if (type == OutputLayer.class && kinds.contains(Kind.DENSE)) {
            return LayerSettings.copy(layer, new FastOutput(), OutputLayer.class);
        }
        if (type == ConvolutionLayer.class && kinds.contains(Kind.CONVOLUTION)) {
            FastConvolution2D fast = LayerSettings.copy(layer, new FastConvolution2D(), ConvolutionLayer.class);
            if (first) {
                fast.skipInputGradient();
            }
            return fast;
        }
        if (type == SubsamplingLayer.class && kinds.contains(Kind.MAX_POOLING)
                && ((SubsamplingLayer) layer).getPoolingType() == PoolingType.MAX) {
            return LayerSettings.copy(layer, new FastMaxPooling2D(), SubsamplingLayer.class);
        }
        if (type == Upsampling2D.class && kinds.contains(Kind.UPSAMPLING)) {
            return LayerSettings.copy(layer, new FastUpsampling2D(), Upsampling2D.class);
        }
        if (type == LSTM.class && kinds.contains(Kind.LSTM)) {
            return LayerSettings.copy(layer, new FastLstm(), LSTM.class);
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            wrapper.setUnderlying(twin(wrapper.getUnderlying(), kinds, first));
        } else if (layer instanceof Bidirectional bidirectional) {
            bidirectional.setFwd(twin(bidirectional.getFwd(), kinds, first));
            bidirectional.setBwd(twin(bidirectional.getBwd(), kinds, first));
        }
        return layer;
    }

    /**
     * DL4J's batch normalization ignores the activation it is given (it inherits the network's
     * default), so the fast layer gets the identity, or the ReLU of the activation layer after it.
     */
    private static Layer batchNormalization(BatchNormalization layer, boolean fuseRelu) {
        FastBatchNormalization fast = LayerSettings.copy(layer, new FastBatchNormalization(), BatchNormalization.class);
        fast.setActivationFn(fuseRelu ? new ActivationReLU() : new ActivationIdentity());
        return fast;
    }

    private static boolean isPlainRelu(Layer layer) {
        return layer.getClass() == ActivationLayer.class
                && new ActivationReLU().equals(((ActivationLayer) layer).getActivationFn());
    }

    /** Removes layer {@code index}, which has no parameters, and renumbers the preprocessors after it. */
    private static void removeLayer(MultiLayerConfiguration conf, int index) {
        conf.getConfs().remove(index);
        Map<Integer, InputPreProcessor> renumbered = new HashMap<>();
        conf.getInputPreProcessors().forEach((layer, preprocessor) ->
                renumbered.put(layer > index ? layer - 1 : layer, preprocessor));
        conf.getInputPreProcessors().clear();
        conf.getInputPreProcessors().putAll(renumbered);
    }

    /** In the layer, or the layers it wraps (a bidirectional layer's two, a last-time-step layer's one). */
    private static void useFastAdam(Layer layer) {
        if (layer instanceof BaseLayer base) {
            base.setIUpdater(fastAdam(base.getIUpdater()));
            base.setBiasUpdater(fastAdam(base.getBiasUpdater()));
        } else if (layer instanceof BaseWrapperLayer wrapper) {
            useFastAdam(wrapper.getUnderlying());
        } else if (layer instanceof Bidirectional bidirectional) {
            useFastAdam(bidirectional.getFwd());
            useFastAdam(bidirectional.getBwd());
        }
    }

    private static IUpdater fastAdam(IUpdater updater) {
        if (updater == null || updater.getClass() != Adam.class) {
            return updater;
        }
        Adam adam = (Adam) updater;
        FastAdam fast = new FastAdam();
        fast.setLrAndSchedule(adam.getLearningRate(), adam.getLearningRateSchedule());
        fast.setBeta1(adam.getBeta1());
        fast.setBeta2(adam.getBeta2());
        fast.setEpsilon(adam.getEpsilon());
        return fast;
    }
}
