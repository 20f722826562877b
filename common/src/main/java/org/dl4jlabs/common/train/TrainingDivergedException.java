package org.dl4jlabs.common.train;

import org.dl4jlabs.common.LabsException;

/** The loss became NaN or infinite: training stops, and nothing is saved. */
public class TrainingDivergedException extends LabsException {

    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged: the loss became " + loss + " in epoch " + epoch + ", batch " + batch
                + ". The learning rate is probably too large; try one ten times smaller (--lr). "
                + "No model was saved.");
    }
}
