package org.dl4jlabs.lstm;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportCharts;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.RunContext;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --task generate}: a character-level language model of a text, trained with truncated
 * back-propagation through time, and text sampled from it after every epoch.
 */
final class GenerateTask {

    static final String TASK = "generate";

    private static final Logger log = LoggerFactory.getLogger(GenerateTask.class);

    /**
     * @param sequenceLength characters per training sequence
     * @param tbpttLength    steps per truncated back-propagation segment
     * @param sampleLength   characters sampled after each epoch
     * @param temperature    sampling temperature
     */
    record TextSettings(int sequenceLength, int tbpttLength, int sampleLength, double temperature) {
    }

    private GenerateTask() {
    }

    static RunReport train(RunContext run, String dataName, CharacterText text, TextSettings settings,
                           LstmModel.Options options, int epochs, int batch) {
        if (options.bidirectional()) {
            throw new LabsException("--bidirectional does not fit text generation: the model may not read ahead");
        }
        DataSet sequences = text.sequences(settings.sequenceLength());
        int heldOut = Math.max(1, sequences.numExamples() / 10);
        List<DataSet> parts = CharacterText.splitAt(sequences, sequences.numExamples() - heldOut);
        DataSet train = parts.get(0);
        DataSet test = parts.get(1);
        log.info("data: {} ({} characters, {} distinct; {} training and {} held-out sequences of {})", dataName,
                text.text().length(), text.vocabulary().size(), train.numExamples(), test.numExamples(),
                settings.sequenceLength());

        MultiLayerNetwork model = FastLayers.acceleratedNetwork(LstmModel.characterModel(options,
                text.vocabulary().size(), settings.tbpttLength(), run.seed()));
        Network net = Network.of(model);
        run.printSummary(net);
        CharacterSampler sampler = new CharacterSampler(model, text.vocabulary());
        String prime = text.text().substring(0, text.text().offsetByCodePoints(0, 1));
        List<String> samples = new ArrayList<>();
        // DL4J sums a sequence's loss over its steps: the last truncated segment's for training, a whole
        // held-out sequence's for scoring. Both are shown per character, comparable with each other and
        // with ln(alphabet size), the loss of a model that knows nothing.
        int lastSegment = settings.sequenceLength() - settings.tbpttLength()
                * ((settings.sequenceLength() - 1) / settings.tbpttLength());
        // After each epoch: the held-out loss, and a sample so the report shows the text taking shape.
        Trainer trainer = new Trainer(net, n -> {
            samples.add(sampler.sample(prime, settings.sampleLength(), settings.temperature(),
                    run.seed() + samples.size()));
            log.info("sample after epoch {}: {}", samples.size(), samples.get(samples.size() - 1));
            return Trainer.EpochScore.lossOnly(n.loss(test) / settings.sequenceLength());
        }, lastSegment);
        Trainer.Result trained = trainer.fit(new ShuffledBatches(train, batch, run.seed()), epochs);

        Map<String, Object> config = Settings.toMap(new LstmSequenceApp.ModelTask(TASK), settings, options);
        ModelStore.save(net, new ModelInfo(run.app(), dataName, text.vocabulary(),
                new long[]{text.vocabulary().size(), settings.sequenceLength()}, config), null,
                run.out().resolve(ModelStore.FILE_NAME));
        double nats = trained.history().get(epochs - 1).testLoss();
        RunReport.Builder builder = run.report()
                .dataset(dataName, train.numExamples(), test.numExamples())
                .training(epochs, trained.trainSeconds())
                .history(trained.history())
                .extra("held_out_nats_per_char", nats)
                .extra("held_out_bits_per_char", nats / Math.log(2))
                .extra("samples", samples);
        config.forEach(builder::config);
        RunReport report = builder.build();
        HtmlReport page = new HtmlReport(report)
                .addHeadline("Held-out loss per character", perCharacter(nats));
        page.addChart("Loss per epoch", ReportCharts.lossCurves(trained.history()),
                "Cross-entropy per character, in nats: training on the shuffled sequences, held out on the "
                        + "last tenth of the text. ln(" + text.vocabulary().size() + ") = "
                        + String.format("%.2f", Math.log(text.vocabulary().size()))
                        + " nats is a model that knows nothing; divide by ln 2 = 0.693 for bits.");
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            rows.add(List.of(i + 1, samples.get(i)));
        }
        page.addTable("Samples after each epoch (temperature " + settings.temperature() + ")",
                List.of("Epoch", "Sample"), rows);
        ReportWriter.write(run.out(), report, page);
        log.info("held-out loss {} (a model that knows nothing: {} nats)", perCharacter(nats),
                String.format("%.2f", Math.log(text.vocabulary().size())));
        return report;
    }

    private static String perCharacter(double nats) {
        return String.format("%.3f nats per character (%.3f bits)", nats, nats / Math.log(2));
    }

    /** Prints text sampled from a saved character model, starting with {@code prime}. */
    static String sample(ModelStore.Loaded model, String prime, int length, double temperature, long seed) {
        String task = LstmSequenceApp.ModelTask.of(model);
        if (!TASK.equals(task)) {
            throw new LabsException("this model was trained for --task " + task
                    + ", not generate; sample needs a model from train --task generate");
        }
        return new CharacterSampler((MultiLayerNetwork) model.network().model(), model.info().classNames())
                .sample(prime, length, temperature, seed);
    }
}
