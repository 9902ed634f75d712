package org.redtest.cli;

import picocli.CommandLine;

/** The one line on stderr for each kind of failure, always with the single prefix "redtest: error: ". */
final class ErrorLines {
    static final String PREFIX = "redtest: error: ";

    private ErrorLines() {
    }

    /** A bad command line, with where to read up on it. */
    static String usage(CommandLine.ParameterException ex) {
        return PREFIX + withoutOwnPrefix(ex.getMessage()) + " (see '"
                + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
    }

    /** A problem with the user's input (a RedTestException). */
    static String input(String message) {
        return PREFIX + message;
    }

    /** A bug: the exception itself, since its message alone may say nothing. */
    static String internal(Exception ex, boolean verbose) {
        return "redtest: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)");
    }

    /** picocli starts the messages of its argument-group checks with its own "Error: ". */
    static String withoutOwnPrefix(String message) {
        String m = message == null ? "" : message.strip();
        return m.regionMatches(true, 0, "Error: ", 0, 7) ? m.substring(7) : m;
    }
}
