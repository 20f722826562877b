package org.dl4jlabs.common.layers.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a layer's backward pass needs from its last training forward pass (the pre-activations Z,
 * or for a convolution with a fused ReLU its output), kept so that it need not compute them again.
 * A kept array is handed out only for the same input array, and only while the workspace it was
 * written to still holds it: after that workspace is closed or reset (the next iteration) the
 * memory belongs to something else, and the layer computes it again.
 */
final class PreActivationCache {

    private INDArray input;
    private INDArray preActivation;

    void keep(INDArray input, INDArray preActivation) {
        this.input = input;
        this.preActivation = preActivation;
    }

    /** Z for this input, or null when there is none that is still valid. Forgets it either way. */
    INDArray take(INDArray forInput) {
        INDArray z = preActivation;
        boolean valid = z != null && input == forInput && z.isInScope()
                && (!z.isAttached() || z.data().getGenerationId() == z.data().getParentWorkspace().getGenerationId());
        clear();
        return valid ? z : null;
    }

    void clear() {
        input = null;
        preActivation = null;
    }
}
