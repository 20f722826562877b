package org.dl4jlabs.common.backend;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeFloatsTest {

    @Test
    void arraysGoToJavaFloatsRowMajorAndBackInTheirTypeAndShape() {
        INDArray doubles = Nd4j.arange(0, 24).castTo(DataType.DOUBLE).reshape('c', 4, 6);
        // Rows 1 and 2 as a view at an offset, and its transpose, which is not row-major.
        INDArray view = doubles.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertArrayEquals(new float[]{6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, NativeFloats.toArray(view));
        assertArrayEquals(new float[]{6, 12, 7, 13, 8, 14, 9, 15, 10, 16, 11, 17},
                NativeFloats.toArray(view.transpose()));

        INDArray back = NativeFloats.fromArray(NativeFloats.toArray(view), view.shape(), DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, back.dataType());
        assertEquals('c', back.ordering());
        assertEquals(view, back);
    }
}
