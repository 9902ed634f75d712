package org.redtest.plot;

/** Charts are drawn off screen: a machine without a display (a server, CI) must not need one. */
public final class Headless {
    private Headless() {
    }

    /** Call before the first chart of a process; a headless setting given on the command line wins. */
    public static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
