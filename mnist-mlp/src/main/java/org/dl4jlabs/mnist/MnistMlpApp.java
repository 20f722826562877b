package org.dl4jlabs.mnist;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.mnist.IdxDataset;
import org.dl4jlabs.common.data.mnist.MnistDataResolver;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.LearningRateDecay;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.workflow.RunContext;
import org.dl4jlabs.mnist.MlpModel.HiddenActivation;
import org.dl4jlabs.mnist.MlpModel.Loss;
import org.dl4jlabs.mnist.MlpModel.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./labs mnist-mlp}: multilayer perceptrons on handwritten digits. */
@Command(name = MnistMlpApp.NAME, mixinStandardHelpOptions = true,
        description = "Multilayer perceptrons on MNIST digits: a lab for activations, losses, optimizers "
                + "and regularization.",
        subcommands = {MnistMlpApp.Train.class, MnistMlpApp.Eval.class, MnistMlpApp.Predict.class})
public class MnistMlpApp implements LabsApp {

    static final String NAME = "mnist-mlp";
    static final int EPOCHS = 20;
    static final int BATCH = 128;

    public static void main(String[] args) {
        LabsCli.main(new MnistMlpApp(), args);
    }

    /** MNIST or Fashion-MNIST when it can be had, else digits the suite draws itself (see --data). */
    static ImageClassData digits(CommonOptions common, IdxDataset dataset) {
        return MnistDataResolver.inCache(common.cacheDirectory(), dataset).resolve(common.dataOption());
    }

    /** The --dataset option train and eval share. */
    static class DataChoice {
        @Option(names = "--dataset", defaultValue = "mnist", description = "MNIST's digits or Fashion-MNIST's clothes "
                + "(the same files in the same format): ${COMPLETION-CANDIDATES}; see --data for where they come from "
                + "(default: ${DEFAULT-VALUE}).")
        IdxDataset dataset;
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train an MLP; writes model.zip, report.json, report.html and train.log to --out.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        DataChoice choice;

        @Option(names = "--hidden", split = ",", defaultValue = "512,256", paramLabel = "N,N,...",
                description = "Units of each hidden layer (default: ${DEFAULT-VALUE}).")
        List<Integer> hidden;

        @Option(names = "--activation", defaultValue = "relu",
                description = "Hidden activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        HiddenActivation activation;

        @Option(names = "--loss", defaultValue = "xent",
                description = "Loss on the softmax output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Loss loss;

        @Option(names = "--optimizer", defaultValue = "adam",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Optimizer optimizer;

        @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--lr-decay", defaultValue = "0.8", paramLabel = "F", description = "The learning rate is "
                + "multiplied by F over each epoch, a little at every step; 1 keeps it constant; adagrad and adadelta "
                + "adapt their own steps and ignore it (default: ${DEFAULT-VALUE}).")
        double lrDecay;

        @Option(names = "--dropout", defaultValue = "0.2",
                description = "Probability of dropping a hidden unit while training (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--l1", defaultValue = "0", description = "L1 weight penalty (default: ${DEFAULT-VALUE}).")
        double l1;

        @Option(names = "--l2", defaultValue = "0", description = "L2 weight penalty (default: ${DEFAULT-VALUE}).")
        double l2;

        @Option(names = "--batchnorm", description = "Batch normalization after each hidden layer.")
        boolean batchNorm;

        @Override
        public Integer call() {
            MlpModel.Options options = new MlpModel.Options(hidden, activation, loss, optimizer, learningRate,
                    lrDecay, dropout, l1, l2, batchNorm);
            MlpModel.validate(options);
            int epochs = common.epochs(EPOCHS);
            int batch = common.batch(BATCH);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                // 1. Data: 28x28 digits as rows of 784 pixels in 0..1, and their labels.
                ImageClassData data = digits(common, choice.dataset);
                ImageClassifierCommands.describe(data);

                // 2. The network: stock DL4J layers (MlpModel), built with the suite's faster twins swapped in.
                //    The learning rate shrinks by --lr-decay over each epoch.
                MultiLayerConfiguration conf = LearningRateDecay.apply(MlpModel.configuration(options, common.seed),
                        options.lrDecay(), ShuffledBatches.batchesPerEpoch(data.train().numExamples(), batch));
                Network net = Network.of(FastLayers.acceleratedNetwork(conf));
                run.printSummary(net);

                // 3. Train: shuffled mini-batches; after each epoch, the loss and accuracy on the test set.
                Trainer trainer = new Trainer(net, ImageClassifierCommands.testScore(data.test(), data.classNames()));
                Trainer.Result trained = trainer.fit(new ShuffledBatches(data.train(), batch, common.seed), epochs);

                // 4. Evaluate: accuracy, per-class precision and recall, confusion matrix.
                ClassificationResult result = ImageClassifierCommands.evaluate(net, data);

                // 5. Save the model, with what eval and predict need to know about it.
                Map<String, Object> settings = Settings.toMap(options);
                ModelStore.save(net, ImageClassifierCommands.modelInfo(run, data, settings), null,
                        run.out().resolve(ModelStore.FILE_NAME));

                // 6. Report: report.json and report.html, with learning curves and the test set's mistakes.
                ImageClassifierCommands.report(run, data, trained, result, settings);

                // 7. Keep the run: its files move into --out together; an earlier run there is replaced only now.
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a trained model on the test set; writes report.json and report.html to --out.")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        DataChoice choice;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Override
        public Integer call() {
            int batch = common.batch(BATCH);
            ModelStore.Loaded loaded = ModelStore.load(model, NAME);
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ImageClassifierCommands.eval(run, loaded, model, digits(common, choice.dataset), batch);
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify 28x28 grayscale PNG or JPEG images of digits (white on black, like MNIST).")
    static class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
        List<Path> images;

        @Override
        public Integer call() {
            ImageClassifierCommands.predict(NAME, model, images, System.out);
            return 0;
        }
    }
}
