package org.redtest.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --db}: the results database a command reads or writes, declared once for every such command. */
final class DatabaseOption {
    @Option(names = "--db", paramLabel = "FILE", description = "Results database (default checkpoints/redtest.db).")
    Path file;

    /** The database given, else {@link Console#DEFAULT_DATABASE}. */
    Path path() {
        return file != null ? file : Console.DEFAULT_DATABASE;
    }
}
