package org.dl4jlabs.common.train;

import java.util.List;
import java.util.Map;

/**
 * What a saved model is, stored beside the network in its model.zip, so that {@code eval} and
 * {@code predict} can check they were given the right file and prepare inputs the same way.
 *
 * @param app        the app that trained it, e.g. "mnist-mlp"
 * @param dataset    the data it was trained on, e.g. "mnist" or "generated-digits"
 * @param classNames the names of the output classes, in order (empty for non-classifiers)
 * @param inputShape the shape of one input example, e.g. [1, 28, 28] for channels, height, width
 * @param config     the options it was trained with, as shown in the report
 */
public record ModelInfo(String app, String dataset, List<String> classNames, long[] inputShape,
                        Map<String, Object> config) {
}
