package org.dl4jlabs.common.data.mnist;

import java.nio.file.Path;

/**
 * One split of an IDX data set on disk: the image file and its label file.
 */
public record IdxPair(Path images, Path labels) {
}
