package org.dl4jlabs.common.data.mnist;

/**
 * A list of class labels as stored in an IDX file: one unsigned byte per example.
 *
 * @param labels one byte per example; read them with {@link #label(int)}, which undoes Java's signed bytes
 */
public record IdxLabels(byte[] labels) implements IdxData {

    @Override
    public int count() {
        return labels.length;
    }

    public int label(int example) {
        return labels[example] & 0xFF;
    }
}
