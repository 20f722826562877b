package org.dl4jlabs.common.train;

import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Soft training targets (Szegedy et al., "Rethinking the Inception architecture", 2016): each
 * one-hot label of K classes becomes {@code 1 - epsilon + epsilon / K} on its class and
 * {@code epsilon / K} on every other. A network can then no longer win by pushing one output
 * towards certainty, which keeps its weights, and its confidence on test images, smaller. The
 * training loss it reports has a floor above 0: the entropy of the soft targets.
 *
 * <p>For training batches only (a {@link ShuffledBatches} pre-processor); it changes the labels in
 * place, which {@code ShuffledBatches} hands out as copies.
 */
public record LabelSmoothing(double epsilon) implements DataSetPreProcessor {

    public LabelSmoothing {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new LabsException("--label-smoothing is a fraction in [0, 1), not " + epsilon);
        }
    }

    @Override
    public void preProcess(DataSet batch) {
        INDArray labels = batch.getLabels();
        labels.muli(1 - epsilon).addi(epsilon / labels.size(1));
    }
}
