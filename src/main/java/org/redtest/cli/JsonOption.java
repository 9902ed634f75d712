package org.redtest.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print the command's result as JSON (for scripts) instead of text; declared once for every command. */
final class JsonOption {
    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean requested;
}
