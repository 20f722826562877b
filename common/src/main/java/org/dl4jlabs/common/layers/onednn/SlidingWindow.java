package org.dl4jlabs.common.layers.onednn;

import org.bytedeco.dnnl.memory;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the windows of a convolution or a pooling lie on its input, as oneDNN needs it: input and
 * output sizes, kernel, stride, dilation (DL4J's: 1 is none) and the padding on each side, the
 * bottom and right as much as the output size needs.
 */
public record SlidingWindow(long batch, long channels, long height, long width, long outHeight, long outWidth,
                     int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int dilationHeight,
                     int dilationWidth, int padTop, int padLeft, boolean channelsLast) {

    /** The windows of a DL4J layer with these settings over {@code input}, sized as DL4J sizes them. */
    public static SlidingWindow over(INDArray input, int[] kernel, int[] stride, int[] dilation, int[] padding,
                              ConvolutionMode mode, CNN2DFormat format) {
        boolean channelsLast = format == CNN2DFormat.NHWC;
        int heightAxis = channelsLast ? 1 : 2;
        int[] inSize = {(int) input.size(heightAxis), (int) input.size(heightAxis + 1)};
        int[] outSize = ConvolutionUtils.getOutputSize(input, kernel, stride,
                mode == ConvolutionMode.Same ? null : padding, mode, dilation, format);
        int[] topLeft = mode == ConvolutionMode.Same
                ? ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, stride, dilation)
                : padding;
        return new SlidingWindow(input.size(0), input.size(channelsLast ? 3 : 1), inSize[0], inSize[1], outSize[0],
                outSize[1], kernel[0], kernel[1], stride[0], stride[1], dilation[0], dilation[1], topLeft[0], topLeft[1],
                channelsLast);
    }

    public long[] inputShape() {
        return shape(channels, height, width);
    }

    public long[] outputShape(long outChannels) {
        return shape(outChannels, outHeight, outWidth);
    }

    private long[] shape(long c, long h, long w) {
        return channelsLast ? new long[]{batch, h, w, c} : new long[]{batch, c, h, w};
    }

    public memory.desc input() {
        return images(channels, height, width);
    }

    public memory.desc output(long outChannels) {
        return images(outChannels, outHeight, outWidth);
    }

    /**
     * The input as primitives are built for it: NHWC as it lies; for NCHW, whatever layout oneDNN
     * prefers, reordered to and from, since its NCHW convolutions are slow (a matrix product over
     * patches: 112 ms for one backward pass of the conv autoencoder, batch 128).
     */
    public memory.desc primitiveInput() {
        return channelsLast ? input() : images(channels, height, width, memory.format_tag.any);
    }

    public memory.desc primitiveOutput(long outChannels) {
        return channelsLast ? output(outChannels) : images(outChannels, outHeight, outWidth, memory.format_tag.any);
    }

    private memory.desc images(long c, long h, long w) {
        return images(c, h, w, channelsLast ? memory.format_tag.nhwc : memory.format_tag.nchw);
    }

    /** oneDNN names dimensions in NCHW order whatever the layout in memory. */
    private memory.desc images(long c, long h, long w, memory.format_tag layout) {
        return new memory.desc(new long[]{batch, c, h, w}, memory.data_type.f32, layout);
    }

    public long[] kernel() {
        return new long[]{kernelHeight, kernelWidth};
    }

    public long[] strides() {
        return new long[]{strideHeight, strideWidth};
    }

    /** oneDNN counts the gaps between kernel taps: 0 is a plain kernel. */
    public long[] dilates() {
        return new long[]{dilationHeight - 1, dilationWidth - 1};
    }

    public long[] padTopLeft() {
        return new long[]{padTop, padLeft};
    }

    public long[] padBottomRight() {
        return new long[]{
                Math.max(0, (outHeight - 1) * strideHeight + (kernelHeight - 1L) * dilationHeight + 1 - height - padTop),
                Math.max(0, (outWidth - 1) * strideWidth + (kernelWidth - 1L) * dilationWidth + 1 - width - padLeft)};
    }
}
