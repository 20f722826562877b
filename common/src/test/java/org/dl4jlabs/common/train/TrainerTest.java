package org.dl4jlabs.common.train;

import org.dl4jlabs.common.backend.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final DataSet TRAIN = TinyNets.twoClasses(512, 1);
    private static final DataSet TEST = TinyNets.twoClasses(256, 2);

    @BeforeAll
    static void backend() {
        Backend.init(0);
    }

    @Test
    void learnsAndRecordsOneEntryPerEpoch() {
        Trainer.Result result = train(TinyNets.classifier(7), 3);

        assertEquals(3, result.history().size());
        assertEquals(3 * 512, result.examplesSeen());
        EpochStats last = result.history().get(2);
        assertTrue(last.testAccuracy() > 0.9, "accuracy " + last.testAccuracy());
        assertTrue(last.trainLoss() < result.history().get(0).trainLoss());
        assertTrue(result.examplesPerSecond() > 0);
    }

    @Test
    void sameSeedGivesSameResults() {
        Trainer.Result first = train(TinyNets.classifier(7), 2);
        Trainer.Result second = train(TinyNets.classifier(7), 2);

        for (int i = 0; i < 2; i++) {
            assertEquals(first.history().get(i).trainLoss(), second.history().get(i).trainLoss());
            assertEquals(first.history().get(i).testAccuracy(), second.history().get(i).testAccuracy());
        }
    }

    @Test
    void divergingLossStopsTrainingWithAdvice() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(TinyNets.divergent(7), 5));
        assertTrue(e.getMessage().contains("--lr"), e.getMessage());
    }

    private static Trainer.Result train(org.deeplearning4j.nn.multilayer.MultiLayerNetwork model, int epochs) {
        Network net = Network.of(model);
        Trainer trainer = new Trainer(net, n -> new Trainer.EpochScore(n.loss(TEST), accuracy(n)));
        return trainer.fit(new ShuffledBatches(TRAIN, 32, 3), epochs);
    }

    private static double accuracy(Network net) {
        var predicted = net.output(TEST.getFeatures()).argMax(1);
        var actual = TEST.getLabels().argMax(1);
        return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
    }
}
