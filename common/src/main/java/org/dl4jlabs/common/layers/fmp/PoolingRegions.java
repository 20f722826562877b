package org.dl4jlabs.common.layers.fmp;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pooling regions of one forward pass of a {@link FractionalMaxPooling2D} layer: row and
 * column intervals for each example of the mini-batch. Region (i, j) of an example is row
 * interval i times column interval j.
 */
public final class PoolingRegions {

    // Length 1 when the whole mini-batch shares one drawing.
    private final PoolingIntervals[] rows;
    private final PoolingIntervals[] columns;

    private PoolingRegions(PoolingIntervals[] rows, PoolingIntervals[] columns) {
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * Draws the regions for a mini-batch, with uniforms from ND4J's random generator, or returns
     * the fixed ones where the configuration asks for them at inference.
     */
    static PoolingRegions draw(FractionalMaxPooling2D conf, int examples, int inputHeight, int inputWidth,
            boolean training) {
        int outputHeight = conf.outputHeight(inputHeight);
        int outputWidth = conf.outputWidth(inputWidth);
        boolean overlapping = conf.isOverlapping();
        if (!training && conf.isFixedRegionsAtInference()) {
            return new PoolingRegions(
                    new PoolingIntervals[] {PoolingIntervals.evenlySpread(inputHeight, outputHeight, overlapping)},
                    new PoolingIntervals[] {PoolingIntervals.evenlySpread(inputWidth, outputWidth, overlapping)});
        }

        boolean random = conf.getRegions() == FractionalMaxPooling2D.Regions.RANDOM;
        int perRows = random ? PoolingIntervals.uniformsForRandom(outputHeight) : 1;
        int perColumns = random ? PoolingIntervals.uniformsForRandom(outputWidth) : 1;
        int drawings = conf.getDrawPer() == FractionalMaxPooling2D.DrawPer.BATCH ? 1 : examples;
        double[] uniforms = uniforms(drawings * (perRows + perColumns));

        PoolingIntervals[] rows = new PoolingIntervals[drawings];
        PoolingIntervals[] columns = new PoolingIntervals[drawings];
        for (int d = 0, next = 0; d < drawings; d++, next += perRows + perColumns) {
            if (random) {
                rows[d] = PoolingIntervals.random(inputHeight, outputHeight, uniforms, next, overlapping);
                columns[d] = PoolingIntervals.random(inputWidth, outputWidth, uniforms, next + perRows, overlapping);
            } else {
                rows[d] = PoolingIntervals.pseudoRandom(inputHeight, outputHeight, uniforms[next], overlapping);
                columns[d] = PoolingIntervals.pseudoRandom(inputWidth, outputWidth, uniforms[next + perRows],
                        overlapping);
            }
        }
        return new PoolingRegions(rows, columns);
    }

    /** Uniforms in [0, 1) from ND4J's generator, in one native call rather than one per number. */
    private static double[] uniforms(int count) {
        if (count == 0) {
            return new double[0];
        }
        // A few numbers for this pass only; keep them out of whatever workspace is open.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.rand(DataType.DOUBLE, count).toDoubleVector();
        }
    }

    /** The row intervals of an example. */
    public PoolingIntervals rows(int example) {
        return rows[rows.length == 1 ? 0 : example];
    }

    /** The column intervals of an example. */
    public PoolingIntervals columns(int example) {
        return columns[columns.length == 1 ? 0 : example];
    }

    /** The output height, the same for every example. */
    public int outputHeight() {
        return rows[0].count();
    }

    /** The output width, the same for every example. */
    public int outputWidth() {
        return columns[0].count();
    }
}
