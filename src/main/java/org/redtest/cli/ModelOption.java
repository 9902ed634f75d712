package org.redtest.cli;

import picocli.CommandLine.Option;

/**
 * {@code --model} of the benchmarks: the model spec, declared once; each benchmark gives its own default
 * (the field's initial value, which the help shows). Commands whose --model is required or means something
 * more (train, info, msrs) declare their own.
 */
final class ModelOption {
    @Option(names = "--model", description = "Model spec (default ${DEFAULT-VALUE}).")
    String model;

    ModelOption(String defaultSpec) {
        this.model = defaultSpec;
    }

    String value() {
        return model;
    }
}
