package org.redtest.cli;

import picocli.CommandLine;

import java.util.List;

/** The one line on stderr for each kind of failure, always with the single prefix "redtest: error: ". */
final class ErrorLines {
    static final String PREFIX = "redtest: error: ";

    private ErrorLines() {
    }

    /** A bad command line, with where to read up on it. */
    static String usage(CommandLine.ParameterException ex) {
        CommandLine.UnmatchedArgumentException u = ex instanceof CommandLine.UnmatchedArgumentException un ? un
                : strayArguments(ex.getCommandLine());
        String message = u != null ? unmatched(u) : withoutOwnPrefix(ex.getMessage());
        return PREFIX + message + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
    }

    /**
     * The arguments the command did not recognise, when another error was raised first: a misspelt required
     * option ('--modle') is first reported as missing ('--model'), which hides the typo.
     */
    private static CommandLine.UnmatchedArgumentException strayArguments(CommandLine cl) {
        CommandLine.ParseResult parsed = cl.getParseResult();
        if (parsed == null || parsed.unmatched().isEmpty()) {
            return null;
        }
        return new CommandLine.UnmatchedArgumentException(cl, parsed.unmatched());
    }

    /**
     * An unknown option or command named by itself, with the nearest known ones: picocli's own line lists the
     * option's value too ("Unknown options: '--checkpont', 'model.zip'") or, for a command, only an index.
     */
    static String unmatched(CommandLine.UnmatchedArgumentException u) {
        if (u.getUnmatched().isEmpty()) {
            return withoutOwnPrefix(u.getMessage());
        }
        String first = u.getUnmatched().get(0);
        CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
        String what = first.startsWith("-") ? "unknown option '" + first + "'"
                : !spec.subcommands().isEmpty() ? "unknown command '" + first + "'"
                : "unexpected argument '" + first + "'";
        List<String> suggestions = u.getSuggestions().stream().filter(s -> !s.equals(first)).limit(3).toList();
        return what + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
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
