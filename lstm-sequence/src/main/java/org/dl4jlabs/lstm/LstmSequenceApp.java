package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.LearningRateDecay;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.workflow.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./labs lstm-sequence}: recurrent networks on time series. */
@Command(name = LstmSequenceApp.NAME, mixinStandardHelpOptions = true,
        description = "Recurrent networks (stacked LSTM) on sequences: classifying control chart time series, "
                + "forecasting a series, and generating text character by character.",
        subcommands = {LstmSequenceApp.Train.class, LstmSequenceApp.Eval.class, LstmSequenceApp.Predict.class, LstmSequenceApp.Sample.class})
public class LstmSequenceApp implements LabsApp {

    static final String NAME = "lstm-sequence";
    static final int EPOCHS = 40;
    /** Classify's defaults, chosen on the UCI file: together they reach 99.17 % (one mistake in 120) and hold it. */
    static final double CLASSIFY_LR_DECAY = 0.9;
    static final double CLASSIFY_DROPOUT = 0.2;
    static final int FORECAST_EPOCHS = 15;
    static final int BATCH = 32;
    static final int UNITS = 64;
    /**
     * Generate's defaults, chosen on tiny Shakespeare (1.1 MB) to train within 20 minutes on two
     * cores: wider layers learn more per character, and batches of 64 sequences run at twice the
     * characters per second of 32.
     */
    static final int GENERATE_EPOCHS = 11;
    static final int GENERATE_BATCH = 64;
    static final int GENERATE_UNITS = 128;

    /** The tasks this app can train; the model file remembers which. */
    enum Task { CLASSIFY, FORECAST, GENERATE }

    public static void main(String[] args) {
        LabsCli.main(new LstmSequenceApp(), args);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train an LSTM; writes model.zip, report.json, report.html and train.log to --out.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--task", defaultValue = "classify",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Task task;

        @Option(names = "--layers", defaultValue = "2", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
        int layers;

        @Option(names = "--units", paramLabel = "N", description = "Units per LSTM layer (default: " + GENERATE_UNITS
                + " for generate, " + UNITS + " otherwise).")
        Integer units;

        @Option(names = "--bidirectional", negatable = true, description = "Read each series forwards and backwards "
                + "(default: on for classify; generate cannot read ahead, forecast reads one way).")
        Boolean bidirectional;

        @Option(names = "--dropout", paramLabel = "P", description = "Probability of dropping an input of each layer "
                + "after the first (default: " + CLASSIFY_DROPOUT + " for classify, 0 otherwise).")
        Double dropout;

        @Option(names = "--clip", defaultValue = "1.0",
                description = "Clip each gradient value to [-clip, clip] (default: ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--lr", defaultValue = "0.005", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--lr-decay", paramLabel = "F", description = "classify: the learning rate is multiplied "
                + "by F over each epoch, a little at every step; 1 keeps it constant (default: " + CLASSIFY_LR_DECAY
                + ").")
        Double lrDecay;

        @Option(names = "--per-class", defaultValue = "100", paramLabel = "N",
                description = "Generated series per class, with --data generated (default: ${DEFAULT-VALUE}, as in UCI).")
        int perClass;

        @Option(names = "--min-length", defaultValue = "0", paramLabel = "N",
                description = "Cut each series to a random length of at least N steps, so that series differ in "
                        + "length and masking is needed; 0 keeps them whole (default: ${DEFAULT-VALUE}).")
        int minLength;

        @Option(names = "--csv", paramLabel = "FILE",
                description = "forecast: a CSV file with a header row; forecasts its --column (default: a generated "
                        + "series with a trend and two seasons).")
        Path csv;

        @Option(names = "--column", paramLabel = "NAME", description = "forecast: the CSV column to forecast.")
        String column;

        @Option(names = "--length", defaultValue = "" + SeasonalSeries.LENGTH, paramLabel = "N",
                description = "forecast: values of the generated series (default: ${DEFAULT-VALUE}).")
        int length;

        @Option(names = "--window", defaultValue = "48", paramLabel = "N",
                description = "forecast: values of history each forecast sees (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--horizon", defaultValue = "6", paramLabel = "K",
                description = "forecast: values predicted ahead (default: ${DEFAULT-VALUE}).")
        int horizon;

        @Option(names = "--season", defaultValue = "12", paramLabel = "N",
                description = "forecast: season length of the seasonal-naive baseline (default: ${DEFAULT-VALUE}).")
        int season;

        @Option(names = "--text", paramLabel = "FILE", description = "generate: the UTF-8 text to learn.")
        Path text;

        @Option(names = "--seq-length", defaultValue = "100", paramLabel = "N",
                description = "generate: characters per training sequence (default: ${DEFAULT-VALUE}).")
        int sequenceLength;

        @Option(names = "--tbptt", defaultValue = "50", paramLabel = "N",
                description = "generate: steps per truncated back-propagation segment (default: ${DEFAULT-VALUE}).")
        int tbpttLength;

        @Option(names = "--sample-length", defaultValue = "200", paramLabel = "N",
                description = "generate: characters sampled after each epoch (default: ${DEFAULT-VALUE}).")
        int sampleLength;

        @Option(names = "--temperature", defaultValue = "1.0",
                description = "generate: sampling temperature; lower is safer, higher more adventurous "
                        + "(default: ${DEFAULT-VALUE}).")
        double temperature;

        @Override
        public Integer call() {
            boolean classify = task == Task.CLASSIFY;
            LstmModel.Options options = new LstmModel.Options(layers,
                    units != null ? units : task == Task.GENERATE ? GENERATE_UNITS : UNITS,
                    bidirectional == null ? classify : bidirectional,
                    dropout == null ? (classify ? CLASSIFY_DROPOUT : 0) : dropout, clip, learningRate);
            LstmModel.validate(options);
            if (lrDecay != null) {
                LearningRateDecay.check(lrDecay);
            }
            if (minLength != 0 && minLength < ClassifyTask.MIN_STEPS) {
                throw new LabsException("--min-length must be 0 or at least " + ClassifyTask.MIN_STEPS);
            }
            if (task == Task.FORECAST) {
                return forecast(options);
            }
            if (task == Task.GENERATE) {
                return generate(options);
            }
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                var data = new ControlChartData(common.cacheDirectory(), ControlChartData.UCI_FILE, new Downloader(),
                        perClass, common.seed).resolve(common.dataOption());
                ClassifyTask.train(run, data, options, minLength, lrDecay == null ? CLASSIFY_LR_DECAY : lrDecay,
                        common.epochs(EPOCHS), common.batch(BATCH));
                run.complete();
            }
            return 0;
        }

        private int generate(LstmModel.Options options) {
            if (text == null) {
                throw new LabsException("--task generate needs --text FILE, the text to learn");
            }
            if (sequenceLength < 2 || tbpttLength < 1 || sampleLength < 1 || !(temperature > 0)) {
                throw new LabsException("--seq-length must be at least 2, --tbptt and --sample-length at least 1, "
                        + "and --temperature positive");
            }
            CharacterText characters = CharacterText.read(text);
            var settings = new GenerateTask.TextSettings(sequenceLength, tbpttLength, sampleLength, temperature);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                GenerateTask.train(run, text.getFileName().toString(), characters, settings, options,
                        common.epochs(GENERATE_EPOCHS), common.batch(GENERATE_BATCH));
                run.complete();
            }
            return 0;
        }

        private int forecast(LstmModel.Options options) {
            if ((csv == null) != (column == null)) {
                throw new LabsException("--csv and --column go together: the file and the column to forecast");
            }
            ForecastSeries series = csv == null ? ForecastSeries.generated(length, common.seed)
                    : ForecastSeries.csv(csv, column);
            var shape = new ForecastTask.Shape(window, horizon, season);
            ForecastTask.check(series.values(), shape);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                ForecastTask.train(run, series, shape, options, common.epochs(FORECAST_EPOCHS), common.batch(BATCH));
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Write text with a model from train --task generate.")
    static class Sample implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Option(names = "--prime", required = true, paramLabel = "TEXT", description = "The text to start from.")
        String prime;

        @Option(names = "--length", defaultValue = "300", paramLabel = "N",
                description = "Characters to write (default: ${DEFAULT-VALUE}).")
        int length;

        @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed of the sampling (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            if (length < 1) {
                throw new LabsException("--length must be at least 1");
            }
            System.out.println(GenerateTask.sample(ModelStore.load(model, NAME), prime, length, temperature, seed));
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Score a saved model again and write report.json and report.html. A classify model is "
                    + "scored on the held-out series of its data (give the same --data, --per-class and --seed as "
                    + "for train); a forecast model on the test range of the series it was trained on (generated "
                    + "again from its saved seed, or the --csv FILE you give).")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Option(names = "--per-class", defaultValue = "100", paramLabel = "N",
                description = "classify: generated series per class, as given to train (default: ${DEFAULT-VALUE}).")
        int perClass;

        @Option(names = "--csv", paramLabel = "FILE",
                description = "forecast: the CSV file the model was trained on, or another with the same column.")
        Path csv;

        @Option(names = "--column", paramLabel = "NAME",
                description = "forecast: the CSV column to forecast (default: the one the model was trained on).")
        String column;

        @Override
        public Integer call() {
            ModelStore.Loaded loaded = ModelStore.load(model, NAME);
            String task = ModelTask.of(loaded);
            if (ForecastTask.TASK.equals(task)) {
                return forecast(loaded);
            }
            if (GenerateTask.TASK.equals(task)) {
                throw new LabsException("eval scores classify and forecast models; this one was trained for --task "
                        + "generate (its held-out loss is in its training report). Write text with it: ./labs "
                        + NAME + " sample --model " + model + " --prime TEXT");
            }
            if (csv != null || column != null) {
                throw new LabsException("--csv and --column are for forecast models; this one is a classify model, "
                        + "scored on --data");
            }
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                var data = new ControlChartData(common.cacheDirectory(), ControlChartData.UCI_FILE, new Downloader(),
                        perClass, common.seed).resolve(common.dataOption());
                ClassifyTask.eval(run, loaded, data);
                run.complete();
            }
            return 0;
        }

        private int forecast(ModelStore.Loaded loaded) {
            ForecastTask.Saved saved = ForecastTask.Saved.of(loaded);
            ForecastSeries series = ForecastSeries.of(loaded.info().config(), csv, column);
            ForecastTask.check(series.values(), saved.shape());
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ForecastTask.eval(run, saved, series);
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify series: a file with one series per line, values separated by spaces or commas.")
    static class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Parameters(paramLabel = "FILE", description = "The series to classify.")
        Path series;

        @Override
        public Integer call() {
            ClassifyTask.predict(ModelStore.load(model, NAME), series, System.out);
            return 0;
        }
    }

    /** Which task a model was trained for, as its saved settings say: the first key of each task's config. */
    record ModelTask(String task) {
        static String of(ModelStore.Loaded model) {
            return Settings.fromMap(model.info().config(), ModelTask.class, "the model").task();
        }
    }
}
