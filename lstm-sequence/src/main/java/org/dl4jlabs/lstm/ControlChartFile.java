package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.io.UserFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the UCI file {@code synthetic_control.data}: one series per line, values separated by
 * spaces (commas are accepted too), and the classes in equal blocks of consecutive lines in
 * {@link ControlChart} order (600 lines: 100 normal, then 100 cyclic, and so on).
 */
public final class ControlChartFile {

    public static final String NAME = "synthetic_control.data";

    private ControlChartFile() {
    }

    public static List<LabelledSeries> read(Path file) {
        List<double[]> rows = readSeries(file);
        int classes = ControlChart.values().length;
        if (rows.size() < classes || rows.size() % classes != 0) {
            throw new LabsException(file + " has " + rows.size() + " series; a control chart file holds "
                    + classes + " equal blocks of series, one per class (600 in the UCI file)");
        }
        int perClass = rows.size() / classes;
        List<LabelledSeries> series = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            series.add(new LabelledSeries(rows.get(i), i / perClass));
        }
        return series;
    }

    /** The series of a file of this format, one per line, without labels; all must have the same length. */
    public static List<double[]> readSeries(Path file) {
        UserFiles.requireFile(file, "the control chart file");
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader reader = UserFiles.textReader(file)) {
            int lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                double[] row = parse(line, file, lineNumber);
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw new LabsException(file + " line " + lineNumber + " has " + row.length + " values but the"
                            + " first series has " + rows.get(0).length + ": every series must have the same length");
                }
                rows.add(row);
            }
        } catch (CharacterCodingException e) {
            throw new LabsException(UserFiles.notUtf8(file) + "; a control chart file is numbers and spaces", e);
        } catch (IOException e) {
            throw new LabsException("could not read " + file + ": " + IoErrors.reason(e), e);
        }
        if (rows.isEmpty()) {
            throw new LabsException(file + " is empty: it holds no series");
        }
        return rows;
    }

    private static double[] parse(String line, Path file, int lineNumber) {
        String[] fields = line.trim().split("[\\s,]+");
        double[] values = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            try {
                values[i] = Double.parseDouble(fields[i]);
            } catch (NumberFormatException e) {
                throw new LabsException(file + " line " + lineNumber + ", value " + (i + 1) + ": '" + fields[i]
                        + "' is not a number");
            }
            if (!Double.isFinite(values[i])) {
                throw new LabsException(file + " line " + lineNumber + ", value " + (i + 1) + " is " + fields[i]
                        + "; series must hold finite numbers");
            }
        }
        return values;
    }
}
