package org.dl4jlabs.common.transfer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarDataResolver;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.transfer.Vgg16Model.Head;
import org.dl4jlabs.common.transfer.Vgg16Model.Pooling;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The suite's own pretrained base, for when ImageNet's weights cannot be had: a quarter-width VGG16
 * base trained to tell apart CIFAR-format images (the generated shapes, offline), with a global
 * average pooling and softmax on top, saved in Keras' weight layout so that the import path that
 * reads ImageNet's file reads it too.
 */
public final class Pretraining {

    public record Outcome(Trainer.Result trained, ClassificationResult result) {
    }

    /** Adam at 1e-3 leaves this plain 13-convolution stack on the plateau at ln 10; 3e-4 leaves it within an epoch. */
    public static final int EPOCHS = 8;
    public static final int BATCH = 32;
    public static final double LEARNING_RATE = 3e-4;
    private static final Logger log = LoggerFactory.getLogger(Pretraining.class);

    private Pretraining() {
    }

    /** Trains the base on {@code source} and writes its convolutions to {@code weightsFile}. */
    public static Outcome pretrain(ImageClassData source, int epochs, int batch, long seed, Path weightsFile) {
        Head classifier = new Head(Pooling.AVERAGE, 0, 0, source.numClasses());
        MultiLayerNetwork net = Vgg16Model.network(Vgg16Model.withHead(Width.QUARTER, source.height(),
                classifier, LEARNING_RATE, seed));
        Trainer.Result trained = new Trainer(Network.of(net),
                ImageClassifierCommands.testScore(source.test(), source.classNames()))
                .fit(new ShuffledBatches(source.train(), batch, seed), epochs);
        ClassificationResult result = ImageClassifierCommands.evaluate(Network.of(net), source.test(),
                source.classNames(), 1);
        KerasWeights.save(net, Vgg16Model.CONVOLUTIONS, weightsFile);
        log.info("pretrained base: {} test accuracy on {} after {} epochs, saved as {}",
                String.format("%.2f%%", 100 * result.accuracy()), source.name(), epochs, weightsFile);
        return new Outcome(trained, result);
    }

    /** The self-pretrained base of {@code --weights self}: on the generated shapes, with the defaults. */
    public static void selfPretrained(Path cacheDirectory, long seed, Path file) {
        ImageClassData shapes = CifarDataResolver.inCache(cacheDirectory, CifarFormat.CIFAR10, CifarFormat.Labels.FINE)
                .generated();
        pretrain(shapes, EPOCHS, BATCH, seed, file);
    }
}
