package org.redtest.console;

/** Whether the command line asked for --verbose, for code below the CLI (libraries' own logging shown). */
public final class Verbose {
    /** Set by the command line when --verbose is given; forwarded to child JVMs with the other redtest.* properties. */
    public static final String PROPERTY = "redtest.verbose";

    private Verbose() {
    }

    public static boolean on() {
        return Boolean.getBoolean(PROPERTY);
    }
}
