package org.dl4jlabs.mnist;

import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.workflow.RunContext;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.mnist.MnistDataResolver;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.mnist.MlpModel.HiddenActivation;
import org.dl4jlabs.mnist.MlpModel.Loss;
import org.dl4jlabs.mnist.MlpModel.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./labs mnist-mlp}: multilayer perceptrons on handwritten digits. */
@Command(name = App.NAME, mixinStandardHelpOptions = true,
        description = "Multilayer perceptrons on MNIST digits: a lab for activations, losses, optimizers "
                + "and regularization.",
        subcommands = {App.Train.class, App.Eval.class, App.Predict.class})
public class App {

    static final String NAME = "mnist-mlp";
    static final int EPOCHS = 10;
    static final int BATCH = 128;

    public static void main(String[] args) {
        LabsCli.main(new App(), args);
    }

    /** MNIST when it can be had, else digits the suite draws itself (see --data). */
    static ImageClassData digits(CommonOptions common) {
        return MnistDataResolver.inCache(common.cacheDirectory()).resolve(common.dataOption());
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train an MLP; writes model.zip, report.json, report.html and train.log to --out.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

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
                    dropout, l1, l2, batchNorm);
            MlpModel.validate(options);
            int epochs = common.epochs(EPOCHS);
            int batch = common.batch(BATCH);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                ImageClassData data = digits(common);
                Network net = Network.of(MlpModel.build(options, common.seed));
                ImageClassifierCommands.train(run, data, net, config(options), epochs, batch);
            }
            return 0;
        }

        private static Map<String, Object> config(MlpModel.Options options) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("hidden", options.hidden());
            config.put("activation", options.activation().name().toLowerCase());
            config.put("loss", options.loss().name().toLowerCase());
            config.put("optimizer", options.optimizer().name().toLowerCase());
            config.put("lr", options.learningRate());
            config.put("dropout", options.dropout());
            config.put("l1", options.l1());
            config.put("l2", options.l2());
            config.put("batchnorm", options.batchNorm());
            return config;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a trained model on the test set; writes report.json and report.html to --out.")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Override
        public Integer call() {
            int batch = common.batch(BATCH);
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ImageClassifierCommands.eval(run, model, digits(common), batch);
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
