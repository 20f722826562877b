package org.dl4jlabs.mnist;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;
import java.util.Objects;

/**
 * Classical ("heavy ball") momentum, which DL4J lacks: it only has Nesterov's variant.
 * <pre>
 *   v = momentum * v + learningRate * gradient
 *   w = w - v
 * </pre>
 * Nesterov's momentum evaluates the gradient after the momentum step; comparing the two is one of
 * the lab's exercises. Fields, not getters, are what DL4J's JSON configuration serializes.
 */
public final class ClassicalMomentum implements IUpdater {

    private double learningRate;
    /** When set, the learning rate at each step; else {@code learningRate} throughout. */
    private ISchedule learningRateSchedule;
    private double momentum;

    /** For JSON deserialization. */
    private ClassicalMomentum() {
        this(0.01, 0.9);
    }

    public ClassicalMomentum(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<ClassicalMomentum> instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater updater = new Updater(this);
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater<ClassicalMomentum> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater updater = new Updater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public ClassicalMomentum clone() {
        ClassicalMomentum copy = new ClassicalMomentum(learningRate, momentum);
        copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return copy;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassicalMomentum that
                && learningRate == that.learningRate && momentum == that.momentum
                && Objects.equals(learningRateSchedule, that.learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, momentum);
    }

    private static final class Updater implements GradientUpdater<ClassicalMomentum> {
        private static final String VELOCITY = "V";
        private final ClassicalMomentum config;
        private INDArray velocity;

        Updater(ClassicalMomentum config) {
            this.config = config;
        }

        @Override
        public ClassicalMomentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            velocity = stateMap.get(VELOCITY);
            if (velocity == null) {
                throw new IllegalStateException("momentum state " + VELOCITY + " missing: " + stateMap.keySet());
            }
            if (initialize) {
                velocity.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(VELOCITY, velocity);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            velocity = viewArray.reshape(gradientOrder, gradientShape);
        }

        /** DL4J subtracts what this leaves in {@code gradient} (shaped like the state) from the parameters. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            velocity.muli(config.momentum).addi(gradient.mul(config.getLearningRate(iteration, epoch)));
            gradient.assign(velocity);
        }
    }
}
