package org.redtest.cli;

import picocli.CommandLine.Option;

/**
 * {@code --batch-size}: images per batch, declared once for the commands that measure, evaluate or time a
 * model; each gives its own default (the field's initial value, which the help shows).
 */
final class BatchSizeOption {
    @Option(names = "--batch-size", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    BatchSizeOption(int defaultSize) {
        this.batchSize = defaultSize;
    }

    int value() {
        return batchSize;
    }
}
