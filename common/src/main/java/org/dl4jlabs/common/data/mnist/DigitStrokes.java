package org.dl4jlabs.common.data.mnist;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How to write each digit with a pen: a few strokes through points in a unit box (x to the right,
 * y downwards, the digit filling roughly 0..1 in both). Some digits come in the styles people
 * actually use (a 1 with or without a flag, an open or closed 4, a 7 with a bar).
 *
 * <p>Each call returns freshly wobbled strokes: every point moves a little, and every stroke a little
 * as a whole, the way no two handwritten digits are the same.
 */
final class DigitStrokes {

    /** Wobble of each point, as a fraction of the digit's size. */
    private static final double POINT_WOBBLE = 0.04;
    /** Wobble of each stroke as a whole, so strokes do not meet exactly. */
    private static final double STROKE_WOBBLE = 0.02;

    private DigitStrokes() {
    }

    /** A pen stroke through the points {x0, y0, x1, y1, ...}. */
    private record Stroke(double[] points, boolean smooth, boolean closed) {
    }

    /** The strokes of {@code digit} as paths in the unit box, wobbled and in a style picked at random. */
    static List<Path2D> of(int digit, Random random) {
        List<Path2D> paths = new ArrayList<>();
        for (Stroke stroke : design(digit, random)) {
            paths.add(path(wobble(stroke.points(), random), stroke.smooth(), stroke.closed()));
        }
        return paths;
    }

    private static List<Stroke> design(int digit, Random random) {
        double style = random.nextDouble();
        return switch (digit) {
            case 0 -> List.of(loop(ellipse(0.5, 0.5, 0.3, 0.45, 8)));
            case 1 -> style < 0.5 ? List.of(lines(0.5, 0.05, 0.5, 0.95))
                    : style < 0.85 ? List.of(lines(0.3, 0.22, 0.52, 0.04, 0.52, 0.95))
                    : List.of(lines(0.3, 0.22, 0.52, 0.04, 0.52, 0.95), lines(0.3, 0.95, 0.74, 0.95));
            case 2 -> List.of(
                    curve(0.2, 0.3, 0.32, 0.1, 0.55, 0.04, 0.76, 0.16, 0.75, 0.38, 0.5, 0.64, 0.2, 0.94),
                    lines(0.2, 0.94, 0.85, 0.94));
            case 3 -> List.of(
                    curve(0.22, 0.14, 0.45, 0.04, 0.7, 0.1, 0.72, 0.3, 0.45, 0.46),
                    curve(0.45, 0.46, 0.74, 0.58, 0.76, 0.8, 0.55, 0.96, 0.22, 0.88));
            case 4 -> style < 0.6
                    ? List.of(lines(0.64, 0.95, 0.64, 0.04, 0.14, 0.66, 0.88, 0.66))
                    : List.of(lines(0.28, 0.04, 0.18, 0.6, 0.86, 0.6), lines(0.66, 0.3, 0.66, 0.96));
            case 5 -> List.of(
                    lines(0.76, 0.05, 0.32, 0.05, 0.27, 0.45),
                    curve(0.27, 0.45, 0.5, 0.37, 0.72, 0.48, 0.76, 0.72, 0.58, 0.93, 0.22, 0.88));
            case 6 -> List.of(curve(0.7, 0.06, 0.48, 0.18, 0.3, 0.42, 0.25, 0.68, 0.4, 0.93, 0.64, 0.9, 0.74, 0.7,
                    0.58, 0.52, 0.35, 0.56, 0.26, 0.7));
            case 7 -> style < 0.75 ? List.of(lines(0.18, 0.06, 0.82, 0.06, 0.42, 0.95))
                    : List.of(lines(0.18, 0.06, 0.82, 0.06, 0.42, 0.95), lines(0.36, 0.5, 0.74, 0.5));
            case 8 -> List.of(loop(ellipse(0.5, 0.27, 0.22, 0.21, 7)), loop(ellipse(0.5, 0.71, 0.27, 0.24, 8)));
            case 9 -> style < 0.5
                    ? List.of(loop(ellipse(0.46, 0.3, 0.25, 0.23, 7)), lines(0.71, 0.3, 0.68, 0.95))
                    : List.of(loop(ellipse(0.46, 0.3, 0.25, 0.23, 7)), curve(0.71, 0.28, 0.7, 0.6, 0.62, 0.8, 0.45, 0.95));
            default -> throw new IllegalArgumentException("not a digit: " + digit);
        };
    }

    private static Stroke lines(double... points) {
        return new Stroke(points, false, false);
    }

    private static Stroke curve(double... points) {
        return new Stroke(points, true, false);
    }

    private static Stroke loop(double... points) {
        return new Stroke(points, true, true);
    }

    /** {@code n} points evenly around an ellipse, starting at the top. */
    private static double[] ellipse(double cx, double cy, double rx, double ry, int n) {
        double[] points = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / n;
            points[2 * i] = cx + rx * Math.sin(angle);
            points[2 * i + 1] = cy - ry * Math.cos(angle);
        }
        return points;
    }

    private static double[] wobble(double[] points, Random random) {
        double shiftX = STROKE_WOBBLE * random.nextGaussian();
        double shiftY = STROKE_WOBBLE * random.nextGaussian();
        double[] moved = new double[points.length];
        for (int i = 0; i < points.length; i += 2) {
            moved[i] = points[i] + shiftX + POINT_WOBBLE * random.nextGaussian();
            moved[i + 1] = points[i + 1] + shiftY + POINT_WOBBLE * random.nextGaussian();
        }
        return moved;
    }

    /**
     * Straight segments between the points, or a smooth curve through them: a Catmull-Rom spline,
     * written as the cubic Bezier segments Java2D draws, each heading the way its neighbours lie.
     */
    private static Path2D path(double[] xy, boolean smooth, boolean closed) {
        int n = xy.length / 2;
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        int segments = closed ? n : n - 1;
        for (int i = 0; i < segments; i++) {
            int next = (i + 1) % n;
            if (!smooth) {
                path.lineTo(xy[2 * next], xy[2 * next + 1]);
                continue;
            }
            // An open curve's ends have no outer neighbour; each end stands in for its own.
            int before = closed ? (i - 1 + n) % n : Math.max(i - 1, 0);
            int after = closed ? (i + 2) % n : Math.min(i + 2, n - 1);
            path.curveTo(
                    xy[2 * i] + (xy[2 * next] - xy[2 * before]) / 6,
                    xy[2 * i + 1] + (xy[2 * next + 1] - xy[2 * before + 1]) / 6,
                    xy[2 * next] - (xy[2 * after] - xy[2 * i]) / 6,
                    xy[2 * next + 1] - (xy[2 * after + 1] - xy[2 * i + 1]) / 6,
                    xy[2 * next], xy[2 * next + 1]);
        }
        if (closed) {
            path.closePath();
        }
        return path;
    }
}
