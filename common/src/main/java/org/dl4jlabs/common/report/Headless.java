package org.dl4jlabs.common.report;

/**
 * Reports are drawn into off-screen images, which needs no display. Without this, a JVM that
 * sees a {@code DISPLAY} it cannot reach (an SSH session, a container) fails on the first chart.
 */
final class Headless {

    private static final String PROPERTY = "java.awt.headless";

    private Headless() {
    }

    /**
     * Turns on headless mode unless the user chose otherwise. Call before the first use of AWT:
     * Java reads the setting only once.
     */
    static void unlessChosen() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
