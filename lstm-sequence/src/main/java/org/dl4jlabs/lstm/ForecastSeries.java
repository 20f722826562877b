package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series a forecast model learns from, with a description of where it came from that is saved
 * in the model, so that {@code eval} can find the same series again: generated from a seed, or a
 * column of a CSV file.
 *
 * @param name   the name shown in reports, e.g. "generated-seasonal-series" or "load.csv:load"
 * @param values the series, in time order
 * @param source how to find it again: {@code series} ("generated" or "csv") and its settings
 */
record ForecastSeries(String name, double[] values, Map<String, Object> source) {

    static final String GENERATED = "generated";
    static final String CSV = "csv";

    static ForecastSeries generated(int length, long seed) {
        if (length < 1) {
            throw new LabsException("--length must be at least 1, not " + length);
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("series", GENERATED);
        source.put("series_length", length);
        source.put("series_seed", seed);
        return new ForecastSeries("generated-seasonal-series", SeasonalSeries.generate(length, seed), source);
    }

    static ForecastSeries csv(Path file, String column) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("series", CSV);
        source.put("csv", file.getFileName().toString());
        source.put("column", column);
        return new ForecastSeries(file.getFileName() + ":" + column, CsvColumn.read(file, column), source);
    }

    /**
     * The series of a saved model's {@code config}: regenerated from its saved length and seed, or read
     * from the CSV the user gives ({@code column} defaults to the saved one). A CSV also works for a
     * model trained on the generated series: the model is then scored on new data.
     */
    static ForecastSeries of(Map<String, Object> config, Path csv, String column) {
        if (csv != null) {
            String name = column != null ? column : (String) config.get("column");
            if (name == null) {
                throw new LabsException("this model was trained on the generated series, so it has no saved "
                        + "column: give --column NAME with --csv");
            }
            return csv(csv, name);
        }
        if (column != null) {
            throw new LabsException("--column goes with --csv FILE, the file whose column to forecast");
        }
        if (CSV.equals(config.get("series"))) {
            throw new LabsException("this model was trained on column '" + config.get("column") + "' of "
                    + config.get("csv") + ": give that file again with --csv FILE");
        }
        return generated(((Number) config.get("series_length")).intValue(),
                ((Number) config.get("series_seed")).longValue());
    }
}
