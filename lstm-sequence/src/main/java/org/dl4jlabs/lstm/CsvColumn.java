package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads one numeric column of a CSV file with a header row, in row order, as a series. */
public final class CsvColumn {

    private CsvColumn() {
    }

    public static double[] read(Path file, String column) {
        if (!Files.isRegularFile(file)) {
            throw new LabsException("CSV file not found: " + file);
        }
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String header = reader.readLine();
            if (header == null || header.isBlank()) {
                throw new LabsException(file + " is empty: a header row naming the columns is expected");
            }
            List<String> names = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
            int index = names.indexOf(column);
            if (index < 0) {
                throw new LabsException(file + " has no column '" + column + "'; its columns are " + names);
            }
            List<Double> values = new ArrayList<>();
            int lineNumber = 1;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length != names.size()) {
                    throw new LabsException(file + " line " + lineNumber + " has " + fields.length
                            + " fields but the header has " + names.size());
                }
                values.add(number(fields[index].trim(), file, lineNumber, column));
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (IOException e) {
            throw new LabsException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static double number(String field, Path file, int lineNumber, String column) {
        try {
            double value = Double.parseDouble(field);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the line
        }
        throw new LabsException(file + " line " + lineNumber + ", column '" + column + "': '" + field
                + "' is not a finite number");
    }
}
