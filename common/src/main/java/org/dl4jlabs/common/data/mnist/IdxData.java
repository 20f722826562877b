package org.dl4jlabs.common.data.mnist;

/**
 * The contents of one IDX file, the format MNIST is distributed in: either a stack of images or a
 * list of labels. The file's magic number says which.
 */
public sealed interface IdxData permits IdxImages, IdxLabels {

    /** Number of images or labels in the file. */
    int count();
}
