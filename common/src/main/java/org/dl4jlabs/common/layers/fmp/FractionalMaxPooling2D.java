package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jlabs.common.layers.LayerSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Objects;

/**
 * Fractional max-pooling (Benjamin Graham, <a href="https://arxiv.org/abs/1412.6071">arXiv:1412.6071</a>):
 * max-pooling that shrinks each spatial dimension by a ratio alpha between 1 and 2 (by default
 * sqrt 2) instead of 2, over pooling regions that are drawn at random on every forward pass.
 * A network can then stack about twice as many convolution + pooling stages as with 2x2
 * max-pooling, and every pass sees a slightly different member of an ensemble of networks; see
 * {@code common/FMP.md} for an introduction.
 *
 * <pre>{@code
 * .layer(new FractionalMaxPooling2D.Builder()      // alpha = sqrt 2, pseudo-random, overlapping
 *         .regions(FractionalMaxPooling2D.Regions.RANDOM)
 *         .overlapping(false)
 *         .build())
 * }</pre>
 *
 * <h2>Pooling regions</h2>
 * Along each spatial dimension of size N_in the layer picks boundaries
 * 0 = a_0 &lt; a_1 &lt; ... &lt; a_n = N_in, where n = N_out is the output size and every increment
 * a_{i+1} - a_i is floor(N_in / N_out) or ceil(N_in / N_out) (1 or 2 when the ratio is below 2).
 * Output cell (i, j) is the maximum over the rows of interval i times the columns of interval j:
 * <ul>
 *   <li>disjoint ({@code overlapping(false)}): interval i is [a_i, a_{i+1} - 1], so the regions
 *       tile the input;</li>
 *   <li>overlapping ({@code overlapping(true)}, the default): interval i is [a_i, a_{i+1}], one
 *       cell longer, sharing its last cell with the next interval (the last interval stops at
 *       N_in - 1). Graham found overlapping regions generally better.</li>
 * </ul>
 * The boundaries are drawn in one of two ways ({@link Regions}):
 * <ul>
 *   <li>{@link Regions#RANDOM}: the right number of short and long increments in a random
 *       (uniformly shuffled) order;</li>
 *   <li>{@link Regions#PSEUDO_RANDOM} (the default): a_i = ceil(alpha (i + u)) - ceil(alpha u)
 *       with alpha = N_in / N_out and a single u uniform in [0, 1) per sequence, which spreads
 *       the long increments evenly. Graham's a_i = ceil(alpha (i + u)), shifted to start at 0;
 *       it is evaluated in exact integer arithmetic.</li>
 * </ul>
 * Rows and columns get independent sequences. They are drawn for each example ({@link DrawPer#EXAMPLE},
 * the default, as Graham does) or once for the whole mini-batch ({@link DrawPer#BATCH}, as
 * TensorFlow does). Each region's maximum, and in backprop its gradient, goes to the first
 * maximal cell in row-major order; a cell that is the maximum of two overlapping regions gets
 * the sum of their gradients.
 *
 * <h2>Output size</h2>
 * With a ratio alpha (default sqrt 2), N_out = round(N_in / alpha), at least 1: Graham's MNIST
 * network at alpha = sqrt 2 maps 35 to 25, 24 to 17, 16 to 11, 10 to 7, 6 to 4 and 3 to 2. The
 * ratio of the regions actually drawn is N_in / N_out (35 / 25 = 1.4 here), so that the intervals
 * end exactly at the edge of the input. An explicit {@code outputSize} replaces the ratio; it must
 * lie between 1 and the input size. Height and width may have different ratios or sizes.
 *
 * <h2>Randomness and inference</h2>
 * All randomness comes from ND4J's random generator ({@code Nd4j.getRandom()}), so seeding it
 * reproduces a run exactly. Regions are drawn afresh on every forward pass, at inference too:
 * averaging the predictions of several passes ("test-time averaging", see
 * {@link org.dl4jlabs.common.eval.TestTimeAveraging}) is how Graham's results were obtained. With
 * {@code fixedRegionsAtInference(true)} inference instead uses the fixed, evenly spread
 * boundaries a_i = ceil(alpha (i + 1/2)) - ceil(alpha / 2), and is deterministic.
 *
 * <h2>Relation to other libraries</h2>
 * <ul>
 *   <li>TensorFlow's {@code tf.nn.fractional_max_pool(pooling_ratio, pseudo_random, overlapping)}
 *       offers the same four region variants, but draws one pair of sequences for the whole batch
 *       (this layer's {@link DrawPer#BATCH}) and takes N_out = floor(N_in / alpha) (24 for 35 at
 *       sqrt 2, where this layer gives 25; ask for {@code outputSize(24)} to match). It is NHWC
 *       only.</li>
 *   <li>PyTorch's {@code nn.FractionalMaxPool2d(kernel_size, output_size | output_ratio)} offers
 *       only pseudo-random regions, of a fixed size (usually 2x2) starting at positions
 *       floor(alpha' (i + u)) - floor(alpha' u) with alpha' = (N_in - k) / (N_out - 1); so its
 *       windows overlap by a variable amount rather than by exactly one boundary cell. It draws a
 *       u per example <em>and channel</em>, where this layer shares an example's regions across its
 *       channels, as Graham does. Its {@code output_ratio} also rounds down.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Float and double networks (double is slower: it is meant for gradient checks), NCHW and NHWC
 * input. The layer computes on the JVM, in parallel over examples; on a CUDA backend its data
 * moves to host memory and back. Values compare in IEEE 754 total order (a NaN with the sign bit
 * clear wins, one with it set loses). Like DL4J's {@code SubsamplingLayer}, the layer has no
 * parameters and ignores any dropout set on it; it does not support masks.
 */
public class FractionalMaxPooling2D extends NoParamLayer {

    /** Graham's ratio, and the default: two FMP layers halve each side of the input. */
    public static final double DEFAULT_RATIO = Math.sqrt(2);

    /** How the interval boundaries along each dimension are drawn. */
    public enum Regions {
        /** A uniformly shuffled sequence of short and long increments. */
        RANDOM,
        /** a_i = ceil(alpha (i + u)) - ceil(alpha u) with one random u per sequence. */
        PSEUDO_RANDOM
    }

    /** How many examples share one drawing of the region sequences. */
    public enum DrawPer {
        /** Each example of the mini-batch gets its own regions (Graham, PyTorch). */
        EXAMPLE,
        /** All examples of a mini-batch share one drawing (TensorFlow). */
        BATCH
    }

    @JsonProperty
    private double ratioHeight = DEFAULT_RATIO;
    @JsonProperty
    private double ratioWidth = DEFAULT_RATIO;
    /** 0: derived from the ratio. */
    @JsonProperty
    private int outputHeight;
    @JsonProperty
    private int outputWidth;
    @JsonProperty
    private Regions regions = Regions.PSEUDO_RANDOM;
    @JsonProperty
    private boolean overlapping = true;
    @JsonProperty
    private DrawPer drawPer = DrawPer.EXAMPLE;
    @JsonProperty
    private boolean fixedRegionsAtInference;
    @JsonProperty
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

    /** For JSON deserialization only. */
    private FractionalMaxPooling2D() {
    }

    private FractionalMaxPooling2D(Builder builder) {
        super(builder);
        ratioHeight = builder.ratioHeight;
        ratioWidth = builder.ratioWidth;
        outputHeight = builder.outputHeight;
        outputWidth = builder.outputWidth;
        regions = builder.regions;
        overlapping = builder.overlapping;
        drawPer = builder.drawPer;
        fixedRegionsAtInference = builder.fixedRegionsAtInference;
        dataFormat = builder.dataFormat;
    }

    /** The output height for an input of this height; see the class documentation. */
    public int outputHeight(long inputHeight) {
        return outputSize(inputHeight, outputHeight, ratioHeight, "height");
    }

    /** The output width for an input of this width; see the class documentation. */
    public int outputWidth(long inputWidth) {
        return outputSize(inputWidth, outputWidth, ratioWidth, "width");
    }

    private int outputSize(long inputSize, int explicitSize, double ratio, String dimension) {
        if (explicitSize == 0) {
            return (int) Math.max(1, Math.round(inputSize / ratio));
        }
        if (explicitSize > inputSize) {
            throw new IllegalArgumentException("Fractional max-pooling layer " + describe() + " cannot pool an input "
                    + dimension + " of " + inputSize + " to the larger output " + dimension + " " + explicitSize);
        }
        return explicitSize;
    }

    private String describe() {
        return getLayerName() == null ? "(unnamed)" : "\"" + getLayerName() + "\"";
    }

    public double getRatioHeight() {
        return ratioHeight;
    }

    public double getRatioWidth() {
        return ratioWidth;
    }

    /** The requested output height, or 0 when it follows from the ratio. */
    public int getOutputHeight() {
        return outputHeight;
    }

    /** The requested output width, or 0 when it follows from the ratio. */
    public int getOutputWidth() {
        return outputWidth;
    }

    public Regions getRegions() {
        return regions;
    }

    public boolean isOverlapping() {
        return overlapping;
    }

    public DrawPer getDrawPer() {
        return drawPer;
    }

    public boolean isFixedRegionsAtInference() {
        return fixedRegionsAtInference;
    }

    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerSetup.connect(new FractionalMaxPooling2DLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional in = convolutional(inputType);
        return InputType.convolutional(outputHeight(in.getHeight()), outputWidth(in.getWidth()), in.getChannels(),
                in.getFormat());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // No nIn to set, but the input type is the authority on the data layout.
        dataFormat = convolutional(inputType).getFormat();
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException("Fractional max-pooling layer " + describe() + " got no input type");
        }
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    private InputType.InputTypeConvolutional convolutional(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)) {
            throw new IllegalStateException("Fractional max-pooling layer " + describe()
                    + " needs convolutional (image) input, got " + inputType);
        }
        return (InputType.InputTypeConvolutional) inputType;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        // The routes from outputs to inputs kept for backprop live on the Java heap, not in ND4J memory.
        return new LayerMemoryReport.Builder(getLayerName(), FractionalMaxPooling2D.class, inputType,
                getOutputType(-1, inputType))
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FractionalMaxPooling2D) || !super.equals(o)) {
            return false;
        }
        FractionalMaxPooling2D other = (FractionalMaxPooling2D) o;
        return ratioHeight == other.ratioHeight && ratioWidth == other.ratioWidth
                && outputHeight == other.outputHeight && outputWidth == other.outputWidth
                && regions == other.regions && overlapping == other.overlapping && drawPer == other.drawPer
                && fixedRegionsAtInference == other.fixedRegionsAtInference && dataFormat == other.dataFormat;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FractionalMaxPooling2D;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), ratioHeight, ratioWidth, outputHeight, outputWidth, regions,
                overlapping, drawPer, fixedRegionsAtInference, dataFormat);
    }

    @Override
    public String toString() {
        String size = outputHeight > 0
                ? "outputSize=" + outputHeight + "x" + outputWidth
                : "ratio=" + ratioHeight + "x" + ratioWidth;
        return "FractionalMaxPooling2D(" + (getLayerName() == null ? "" : "name=" + getLayerName() + ", ") + size
                + ", regions=" + regions + ", overlapping=" + overlapping + ", drawPer=" + drawPer
                + ", fixedRegionsAtInference=" + fixedRegionsAtInference + ", dataFormat=" + dataFormat + ")";
    }

    /** Builds a {@link FractionalMaxPooling2D}; every option has a default (see the setters). */
    public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {

        private double ratioHeight = DEFAULT_RATIO;
        private double ratioWidth = DEFAULT_RATIO;
        private int outputHeight;
        private int outputWidth;
        private Regions regions = Regions.PSEUDO_RANDOM;
        private boolean overlapping = true;
        private DrawPer drawPer = DrawPer.EXAMPLE;
        private boolean fixedRegionsAtInference;
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

        /** The ratio alpha = input size / output size for both dimensions; default sqrt 2. */
        public Builder ratio(double alpha) {
            return ratio(alpha, alpha);
        }

        /** Separate ratios for height and width, each at least 1; replaces any output size. */
        public Builder ratio(double alphaHeight, double alphaWidth) {
            requireRatio(alphaHeight);
            requireRatio(alphaWidth);
            ratioHeight = alphaHeight;
            ratioWidth = alphaWidth;
            outputHeight = 0;
            outputWidth = 0;
            return this;
        }

        private static void requireRatio(double alpha) {
            if (!(alpha >= 1) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("The pooling ratio must be a finite number of at least 1, got " + alpha);
            }
        }

        /** A fixed output size for both dimensions instead of a ratio. */
        public Builder outputSize(int size) {
            return outputSize(size, size);
        }

        /** A fixed output height and width instead of a ratio; each at least 1. */
        public Builder outputSize(int height, int width) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("The output size must be at least 1x1, got " + height + "x" + width);
            }
            outputHeight = height;
            outputWidth = width;
            return this;
        }

        /** How interval boundaries are drawn; default {@link Regions#PSEUDO_RANDOM}. */
        public Builder regions(Regions regions) {
            this.regions = Objects.requireNonNull(regions, "regions");
            return this;
        }

        /** Whether neighbouring regions share their boundary row or column; default true. */
        public Builder overlapping(boolean overlapping) {
            this.overlapping = overlapping;
            return this;
        }

        /** Whether each example or each mini-batch gets its own regions; default {@link DrawPer#EXAMPLE}. */
        public Builder drawPer(DrawPer drawPer) {
            this.drawPer = Objects.requireNonNull(drawPer, "drawPer");
            return this;
        }

        /**
         * True: inference (not training) uses fixed, evenly spread regions and is deterministic.
         * False (default): inference draws fresh regions like training, for test-time averaging.
         */
        public Builder fixedRegionsAtInference(boolean fixed) {
            this.fixedRegionsAtInference = fixed;
            return this;
        }

        /**
         * The layout of the activations, NCHW (default) or NHWC. When the network is given an
         * input type ({@code setInputType}), the layout follows from it instead.
         */
        public Builder dataFormat(CNN2DFormat format) {
            this.dataFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FractionalMaxPooling2D build() {
            return new FractionalMaxPooling2D(this);
        }
    }
}
