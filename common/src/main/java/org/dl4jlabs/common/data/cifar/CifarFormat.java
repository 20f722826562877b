package org.dl4jlabs.common.data.cifar;

import java.util.Locale;

/**
 * The two layouts of the CIFAR binary files (https://www.cs.toronto.edu/~kriz/cifar.html): each
 * record is its label byte(s) followed by 3072 pixel bytes, the 1024 red values of a 32x32 image row
 * by row, then the green, then the blue.
 */
public enum CifarFormat {
    /** One label byte, 0 to 9. */
    CIFAR10(1, 10),
    /** Two label bytes: the coarse class (0 to 19), then the fine class (0 to 99). */
    CIFAR100(2, 100);

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int PIXELS = SIDE * SIDE * CHANNELS;
    public static final int COARSE_CLASSES = 20;

    private final int labelBytes;
    private final int fineClasses;

    CifarFormat(int labelBytes, int fineClasses) {
        this.labelBytes = labelBytes;
        this.fineClasses = fineClasses;
    }

    /** Which of a CIFAR-100 record's two labels to learn; CIFAR-10 has only {@link #FINE}. */
    public enum Labels { FINE, COARSE }

    public int labelBytes() {
        return labelBytes;
    }

    public int recordLength() {
        return labelBytes + PIXELS;
    }

    public int classes(Labels labels) {
        return labels == Labels.COARSE ? COARSE_CLASSES : fineClasses;
    }

    /** The offset, within a record, of the label byte to learn. */
    int labelOffset(Labels labels) {
        return this == CIFAR100 && labels == Labels.FINE ? 1 : 0;
    }

    /** "CIFAR-10" or "CIFAR-100", as people write it. */
    public String displayName() {
        return this == CIFAR10 ? "CIFAR-10" : "CIFAR-100";
    }

    public String lowerCaseName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
