package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.io.UserFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A text as training data for a next-character model: its vocabulary (the distinct characters, in
 * order) and one-hot sequences, each step's label being the character that follows.
 */
public record CharacterText(String text, List<String> vocabulary) {

    /** The most characters a vocabulary holds, {@link #UNKNOWN} included. */
    static final int MAX_VOCABULARY = 256;
    /** What every character outside a bounded vocabulary is read as. */
    static final String UNKNOWN = "\uFFFD";
    /** The most memory the one-hot sequences may take; a larger text is refused before allocating. */
    static final long MAX_SEQUENCE_BYTES = 4_000_000_000L;
    private static final Logger log = LoggerFactory.getLogger(CharacterText.class);

    /** Reads a UTF-8 text file; an empty or unreadable file is a {@link LabsException}. */
    public static CharacterText read(Path file) {
        UserFiles.requireFile(file, "the text file");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new LabsException(UserFiles.notUtf8(file) + "; save it as UTF-8");
        } catch (IOException e) {
            throw new LabsException("could not read " + file + ": " + IoErrors.reason(e), e);
        }
        if (text.isBlank()) {
            throw new LabsException(file + " is empty: there is no text to learn from");
        }
        return of(text);
    }

    /**
     * The text with its vocabulary: every distinct character, or, when there are more than
     * {@value #MAX_VOCABULARY}, the most frequent ones and {@link #UNKNOWN} for all the others (a text
     * of 26,590 distinct characters made one-hot arrays that filled 24 GB).
     */
    public static CharacterText of(String text) {
        Map<String, Long> counts = text.codePoints().mapToObj(Character::toString)
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        if (counts.size() <= MAX_VOCABULARY) {
            return new CharacterText(text, List.copyOf(new TreeSet<>(counts.keySet())));
        }
        TreeSet<String> kept = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_VOCABULARY - 1).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        long rare = counts.entrySet().stream().filter(e -> !kept.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        log.warn("The text has {} distinct characters; the {} most frequent are kept and the other {} ({} of the "
                        + "text) are all read as {}", counts.size(), MAX_VOCABULARY - 1, counts.size() - kept.size(),
                String.format("%.1f %%", 100.0 * rare / text.codePointCount(0, text.length())), UNKNOWN);
        kept.add(UNKNOWN);
        return new CharacterText(text, List.copyOf(kept));
    }

    /** The text's characters as vocabulary indexes. */
    int[] indexes() {
        return encode(text, vocabulary);
    }

    /**
     * Indexes of {@code text}'s characters in {@code vocabulary}; characters the vocabulary lacks are
     * read as {@link #UNKNOWN} when the vocabulary has it, else a {@link LabsException} naming them,
     * since the model has never seen them.
     */
    static int[] encode(String text, List<String> vocabulary) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            positions.put(vocabulary.get(i), i);
        }
        Integer unknown = positions.get(UNKNOWN);
        TreeSet<String> unseen = new TreeSet<>();
        int[] indexes = text.codePoints().map(c -> {
            Integer index = positions.getOrDefault(Character.toString(c), unknown);
            if (index == null) {
                unseen.add(Character.toString(c));
                return -1;
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
        long bytes = 2L * count * size * length * Float.BYTES;
        if (bytes > MAX_SEQUENCE_BYTES) {
            throw new LabsException(String.format("the text's one-hot sequences would take %.1f GB (%,d sequences of"
                    + " %d steps over %d characters, features and labels), more than the %d GB this lab allows;"
                    + " use a shorter text", bytes / 1e9, count, length, size, MAX_SEQUENCE_BYTES / 1_000_000_000L));
        }
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
