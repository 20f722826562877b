package org.dl4jlabs.common.layers.fast;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/** Which activations oneDNN can apply inside a layer's product: a ReLU, or a leaky ReLU with a slope of 0 or more. */
final class Rectifiers {

    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();

    private Rectifiers() {
    }

    /** The slope for negative values of a (leaky) ReLU that oneDNN can fuse; null for any other activation. */
    static Float slope(IActivation activation) {
        if (activation instanceof ActivationLReLU leaky && leaky.getAlpha() >= 0) {
            return (float) leaky.getAlpha();
        }
        return PLAIN_RELU.equals(activation) ? 0f : null;
    }
}
