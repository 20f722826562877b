package org.dl4jlabs.common.report;

import org.dl4jlabs.common.data.ImageShape;
import org.dl4jlabs.common.eval.ClassificationResult.ClassMetrics;
import org.dl4jlabs.common.eval.ClassificationResult.Misclassified;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.report.HtmlReport.Figure;
import org.dl4jlabs.common.train.EpochStats;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The standard report of an image classifier: learning curves, errors by class, worst mistakes. */
public final class ClassificationSections {

    /** Enough to make a 28 x 28 digit readable without crowding the grid. */
    private static final int THUMBNAIL_SCALE = 3;

    private ClassificationSections() {
    }

    /**
     * Adds all sections to {@code page}.
     *
     * @param history      per-epoch statistics; the learning curves are skipped when empty
     * @param testFeatures the features of the evaluated test set, in the order evaluated, from
     *                     which the mistakes are drawn
     * @param shape        how one example's features form an image
     */
    public static void addAll(HtmlReport page, ClassificationResult result, List<EpochStats> history,
                              INDArray testFeatures, ImageShape shape) {
        if (!history.isEmpty()) {
            page.addChart("Loss per epoch", ReportCharts.lossCurves(history),
                    "Training loss is the mean over each epoch's mini-batches; test loss is measured after the "
                            + "epoch. Test loss rising while training loss falls is the sign of overfitting.");
            page.addChart("Test accuracy per epoch", ReportCharts.accuracyCurve(history));
        }
        page.addChart("Confusion matrix", ReportCharts.confusionHeatMap(result),
                "Each row is a true class, each column the class predicted; the diagonal holds the correct "
                        + "predictions. Darker cells hold more examples; the colours top out at the largest "
                        + "count off the diagonal, so that the mistakes stand out.");
        page.addChart("Precision, recall and F1 per class", ReportCharts.perClassScores(result),
                "Precision: of the examples predicted as a class, the fraction truly of it. Recall: of the examples "
                        + "of a class, the fraction found. F1: their harmonic mean.");
        page.addTable("Per-class metrics", List.of("Class", "Precision", "Recall", "F1", "Support"),
                perClassRows(result));
        if (!result.misclassified().isEmpty()) {
            page.addGallery("Most confident mistakes", mistakes(result, testFeatures, shape),
                    "Each picture: true class → predicted class (the probability the model gave its choice), "
                            + "and the example's position in the test set.");
        }
    }

    private static List<List<?>> perClassRows(ClassificationResult result) {
        List<List<?>> rows = new ArrayList<>();
        for (ClassMetrics c : result.perClass()) {
            rows.add(List.of(c.name(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        rows.add(List.of("Macro average", result.precision(), result.recall(), result.f1(), result.examples()));
        return rows;
    }

    private static List<Figure> mistakes(ClassificationResult result, INDArray testFeatures, ImageShape shape) {
        List<String> names = result.classNames();
        List<Figure> figures = new ArrayList<>();
        for (Misclassified mistake : result.misclassified()) {
            String caption = String.format(Locale.ROOT, "%s → %s (%.0f%%)\nexample #%d",
                    names.get(mistake.trueClass()), names.get(mistake.predictedClass()),
                    100 * mistake.confidence(), mistake.index());
            figures.add(new Figure(ExampleImages.draw(testFeatures, mistake.index(), shape, THUMBNAIL_SCALE), caption));
        }
        return figures;
    }
}
