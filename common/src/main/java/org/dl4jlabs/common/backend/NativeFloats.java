package org.dl4jlabs.common.backend;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

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
}
