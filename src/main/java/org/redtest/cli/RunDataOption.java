package org.redtest.cli;

import picocli.CommandLine.Option;

/**
 * {@code --dataset} and {@code --data-dir} for commands that read a checkpoint: the data set the
 * run.json beside it names unless given here. Declared once for {@code evaluate} and {@code msrs}.
 */
final class RunDataOption {
    @Option(names = {"--dataset", "--data"}, paramLabel = "NAME",
            description = "fashion-mnist, cifar10 or cifar100 (default: the run's).")
    String dataset;
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: the run's; Debian's for Fashion-MNIST).")
    String dataDir;
}
