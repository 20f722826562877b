package org.dl4jlabs.common.backend;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;

/**
 * Float arrays that Java code can read and write where they lie, through their buffer's
 * {@code asNioFloat()}, without copying them into a Java array and back: loops over every value
 * (statistics, noise) run several times faster that way than as a chain of ND4J ops or copies.
 */
public final class NativeFloats {

    private NativeFloats() {
    }

    /**
     * {@code array} as floats in a row-major array that is its whole buffer, so that index i of the
     * buffer is element i: the array itself when it already is one, else such a copy. Keep the
     * returned array reachable while reading its buffer ({@code Reference.reachabilityFence}).
     */
    public static INDArray wholeBuffer(INDArray array) {
        INDArray floats = array.castTo(DataType.FLOAT);
        boolean whole = floats.ordering() == 'c' && Shape.hasDefaultStridesForShape(floats) && floats.offset() == 0
                && floats.data().length() == floats.length();
        return whole ? floats : floats.dup('c');
    }

    /** The values of {@code array} in row-major order, as floats, read in one bulk copy from its memory. */
    public static float[] toArray(INDArray array) {
        INDArray whole = wholeBuffer(array);
        float[] values = new float[Math.toIntExact(whole.length())];
        whole.data().asNioFloat().get(0, values);
        Reference.reachabilityFence(whole);
        return values;
    }

    /** A new row-major array of {@code shape} and {@code type} holding {@code values}, written in one bulk copy. */
    public static INDArray fromArray(float[] values, long[] shape, DataType type) {
        INDArray floats = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        floats.data().asNioFloat().put(0, values);
        return floats.castTo(type);
    }
}
