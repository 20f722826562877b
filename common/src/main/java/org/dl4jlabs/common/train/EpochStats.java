package org.dl4jlabs.common.train;

/**
 * One epoch of training, as plotted in the report's learning curves.
 *
 * @param epoch        1-based epoch number
 * @param trainLoss    mean training loss over the epoch's mini-batches
 * @param testLoss     loss on the held-out set after the epoch
 * @param testAccuracy accuracy on the held-out set after the epoch (NaN for non-classifiers)
 * @param seconds      wall-clock seconds spent training in this epoch (evaluation excluded)
 */
public record EpochStats(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {
}
