package org.dl4jlabs.lstm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The six patterns of the synthetic control chart data set (Alcock and Manolopoulos, 1999), in the
 * order of the UCI file's blocks of 100 rows.
 */
public enum ControlChart {
    NORMAL, CYCLIC, INCREASING_TREND, DECREASING_TREND, UPWARD_SHIFT, DOWNWARD_SHIFT;

    /** The class names as reports and model files show them, e.g. "increasing trend". */
    public static List<String> names() {
        return Arrays.stream(values()).map(ControlChart::label).toList();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
