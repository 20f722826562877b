package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A text as training data for a next-character model: its vocabulary (the distinct characters, in
 * order) and one-hot sequences, each step's label being the character that follows.
 */
public record CharacterText(String text, List<String> vocabulary) {

    /** Reads a UTF-8 text file; an empty or unreadable file is a {@link LabsException}. */
    public static CharacterText read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LabsException("text file not found: " + file);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new LabsException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new LabsException("could not read " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new LabsException(file + " is empty: there is no text to learn from");
        }
        return of(text);
    }

    public static CharacterText of(String text) {
        TreeSet<String> characters = new TreeSet<>();
        text.codePoints().forEach(c -> characters.add(Character.toString(c)));
        return new CharacterText(text, List.copyOf(characters));
    }

    /** The text's characters as vocabulary indexes. */
    int[] indexes() {
        return encode(text, vocabulary);
    }

    /**
     * Indexes of {@code text}'s characters in {@code vocabulary}; characters the vocabulary lacks are
     * a {@link LabsException} naming them, since the model has never seen them.
     */
    static int[] encode(String text, List<String> vocabulary) {
        TreeSet<String> unseen = new TreeSet<>();
        int[] indexes = text.codePoints().map(c -> {
            int index = vocabulary.indexOf(Character.toString(c));
            if (index < 0) {
                unseen.add(Character.toString(c));
            }
            return index;
        }).toArray();
        if (!unseen.isEmpty()) {
            throw new LabsException("the text has characters the model never saw in training: " + unseen
                    + "; use only characters of its training text");
        }
        return indexes;
    }

    /**
     * Consecutive sequences of {@code length} steps: features [n, vocabulary, length] one-hot,
     * labels the same shape holding the next character at each step.
     */
    DataSet sequences(int length) {
        int[] indexes = indexes();
        int count = (indexes.length - 1) / length;
        if (count < 2) {
            throw new LabsException("the text has " + indexes.length + " characters: too short for sequences of "
                    + length + " (it needs at least " + (2 * length + 1) + "); give a longer text or a smaller "
                    + "--seq-length");
        }
        int size = vocabulary.size();
        INDArray features = Nd4j.zeros(count, size, length);
        INDArray labels = Nd4j.zeros(count, size, length);
        for (int n = 0; n < count; n++) {
            for (int t = 0; t < length; t++) {
                int position = n * length + t;
                features.putScalar(n, indexes[position], t, 1);
                labels.putScalar(n, indexes[position + 1], t, 1);
            }
        }
        return new DataSet(features, labels);
    }

    /** The first {@code count} sequences for training and the rest held out, in text order. */
    static List<DataSet> splitAt(DataSet sequences, int count) {
        List<DataSet> parts = new ArrayList<>(2);
        parts.add((DataSet) sequences.getRange(0, count));
        parts.add((DataSet) sequences.getRange(count, sequences.numExamples()));
        return parts;
    }
}
