package org.redtest.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --json FILE}: a benchmark also writes its figures to FILE as JSON; declared once for the benchmarks. */
final class JsonFileOption {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to FILE as JSON.")
    Path file;

    /** Writes {@code figures} when a file was asked for. */
    void write(Object figures) {
        if (file != null) {
            Console.writeJson(file, figures);
        }
    }
}
