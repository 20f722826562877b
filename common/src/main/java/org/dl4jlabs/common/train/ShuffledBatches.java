package org.dl4jlabs.common.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Mini-batches of an in-memory data set, in a new order each epoch. The order comes from a
 * seeded {@link Random}, so a run repeats exactly. A pre-processor (noise, augmentation) is
 * applied to a copy of each batch, so the data set itself is never changed.
 *
 * <p>A batch is for one training step: its arrays are freed when the next batch is asked for, so a
 * caller that wants to keep one must {@code dup()} it.
 */
public class ShuffledBatches implements DataSetIterator {

    private final DataSet data;
    private final int batchSize;
    private final Random random;
    private int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;
    private List<INDArray> previous = List.of();

    public ShuffledBatches(DataSet data, int batchSize, long seed) {
        this.data = data;
        this.batchSize = batchSize;
        this.random = new Random(seed);
        reset();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int size = Math.min(num, order.length - cursor);
        int[] rows = new int[size];
        System.arraycopy(order, cursor, rows, 0, size);
        cursor += size;
        releasePrevious();
        DataSet batch = new DataSet(rowsOf(data.getFeatures(), rows), rowsOf(data.getLabels(), rows),
                rowsOf(data.getFeaturesMaskArray(), rows), rowsOf(data.getLabelsMaskArray(), rows));
        List<INDArray> gathered = arraysOf(batch);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        List<INDArray> handedOut = arraysOf(batch);
        gathered.stream().filter(array -> handedOut.stream().noneMatch(out -> out == array)).forEach(INDArray::close);
        previous = handedOut;
        return batch;
    }

    /**
     * Frees the last batch's native memory now, not when the garbage collector gets to its Java
     * objects: a training run makes a batch a step, and a large heap is collected seldom, so their
     * memory piled up (4 GiB resident for the MLP on MNIST). The batch handed out before is no longer
     * used when the next is asked for.
     */
    private void releasePrevious() {
        previous.forEach(INDArray::close);
        previous = List.of();
    }

    /** The batch's arrays, each once (a pre-processor may make one array both features and labels). */
    private static List<INDArray> arraysOf(DataSet batch) {
        List<INDArray> arrays = new ArrayList<>();
        for (INDArray array : new INDArray[]{batch.getFeatures(), batch.getLabels(), batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray()}) {
            if (array != null && arrays.stream().noneMatch(seen -> seen == array)) {
                arrays.add(array);
            }
        }
        return arrays;
    }

    /**
     * The given examples (first dimension) of any array, e.g. images or time series and their masks;
     * null stays null. Indexing the examples one by one (getRows, get with an index list) makes a
     * native call each and cost more than the training step of a small network. A row-major array
     * is copied row by row straight between the arrays' memory, faster than libnd4j's gather
     * ({@code pullRows}, still used for other layouts; docs/PERFORMANCE.md).
     */
    static INDArray rowsOf(INDArray array, int[] rows) {
        if (array == null) {
            return null;
        }
        long[] shape = array.shape().clone();
        shape[0] = rows.length;
        boolean addressable = array.data().length() * array.dataType().width() <= Integer.MAX_VALUE; // one ByteBuffer
        if (array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) && addressable) {
            return copyRows(array, rows, shape);
        }
        long examples = array.size(0);
        INDArray asRows = array.rank() == 2 ? array : array.reshape('c', examples, array.length() / examples);
        INDArray picked = Nd4j.pullRows(asRows, 1, rows);
        return array.rank() == 2 ? picked : picked.reshape('c', shape);
    }

    private static INDArray copyRows(INDArray array, int[] rows, long[] shape) {
        INDArray picked = Nd4j.createUninitialized(array.dataType(), shape, 'c');
        int width = array.dataType().width();
        long rowBytes = array.length() / array.size(0) * width;
        ByteBuffer from = array.data().asNio();
        ByteBuffer to = picked.data().asNio();
        long start = array.offset() * width;
        for (int i = 0; i < rows.length; i++) {
            to.put(Math.toIntExact(i * rowBytes), from, Math.toIntExact(start + rows[i] * rowBytes), (int) rowBytes);
        }
        Reference.reachabilityFence(array);
        return picked;
    }

    /** Starts a new epoch in a new random order. */
    @Override
    public void reset() {
        int n = data.numExamples();
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        cursor = 0;
    }

    public int numExamples() {
        return data.numExamples();
    }

    public int numBatches() {
        return batchesPerEpoch(data.numExamples(), batchSize);
    }

    /** Mini-batches in one pass over {@code examples} (the last may be smaller): what a schedule per epoch needs. */
    public static int batchesPerEpoch(int examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    @Override
    public int inputColumns() {
        return (int) data.getFeatures().size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) data.getLabels().size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return data.getLabelNamesList();
    }
}
