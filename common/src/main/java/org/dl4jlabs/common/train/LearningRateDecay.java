package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A learning rate that shrinks by a factor over each epoch, a little at every step, put on a
 * network's configuration after it is built, so that the model factories stay in stock builders.
 * Late in training a constant rate keeps the weights jumping around a minimum and the test accuracy
 * wandering from epoch to epoch; a decaying one lets them settle.
 */
public final class LearningRateDecay {

    private LearningRateDecay() {
    }

    /**
     * Multiplies every layer's learning rate by {@code perEpoch} over each {@code batchesPerEpoch}
     * steps. Updaters without a learning rate (AdaDelta) keep theirs, and so does AdaGrad, which
     * shrinks its own steps (and whose {@code clone()} drops a schedule in DL4J 1.0.0-M2.1).
     *
     * @return {@code conf}, changed
     */
    public static MultiLayerConfiguration apply(MultiLayerConfiguration conf, double perEpoch, int batchesPerEpoch) {
        check(perEpoch);
        if (perEpoch == 1) {
            return conf;
        }
        double perStep = Math.pow(perEpoch, 1.0 / Math.max(1, batchesPerEpoch));
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            decay(layer.getLayer(), perStep);
        }
        return conf;
    }

    /** Refuses a factor outside (0, 1], naming the option that gives it. */
    public static void check(double perEpoch) {
        if (!(perEpoch > 0 && perEpoch <= 1)) {
            throw new LabsException("--lr-decay is a factor in (0, 1], not " + perEpoch);
        }
    }

    private static void decay(Layer layer, double perStep) {
        if (layer instanceof BaseWrapperLayer wrapper) {
            decay(wrapper.getUnderlying(), perStep);
        } else if (layer instanceof Bidirectional bidirectional) {
            decay(bidirectional.getFwd(), perStep);
            decay(bidirectional.getBwd(), perStep);
        } else if (layer instanceof BaseLayer base) {
            decay(base.getIUpdater(), perStep);
            decay(base.getBiasUpdater(), perStep);
        }
    }

    private static void decay(IUpdater updater, double perStep) {
        if (updater == null || !updater.hasLearningRate() || updater instanceof AdaGrad) {
            return;
        }
        double start = updater.getLearningRate(0, 0);
        updater.setLrAndSchedule(start, new ExponentialSchedule(ScheduleType.ITERATION, start, perStep));
    }
}
