package org.redtest.cli;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataSpec;
import org.redtest.experiment.ExperimentRunner;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainingInterrupted;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model, from an experiment file's data and training sections or from flags.",
                "Checkpoints go to <output-dir>/<name>/model.zip every epoch; the same command resumes a killed run."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--config", description = "Experiment file: its train stage is run.")
        Path config;

        @ArgGroup(exclusive = false)
        Flags flags;
    }

    static final class Flags {
        @Option(names = "--model", required = true, description = "Model spec, e.g. resnet20.")
        String model;
        @Option(names = "--dataset", required = true, description = "fashion-mnist, cifar10 or cifar100.")
        String dataset;
        @Option(names = "--data-dir", description = "Data directory (CIFAR binary files; default for Fashion-MNIST: Debian's).")
        String dataDir;
        @Option(names = "--name", description = "Run name (default: <model>-<dataset>).")
        String name;
        @Option(names = "--train-limit", description = "Use the first N training images.")
        Integer trainLimit;
        @Option(names = "--train-per-class", description = "Use the first N training images of each class.")
        Integer trainPerClass;
        @Option(names = "--test-limit", description = "Use the first N test images.")
        Integer testLimit;
        @Option(names = "--no-augment", description = "Disable random crop and flip.")
        boolean noAugment;
        @Option(names = "--epochs", description = "Epochs (default 150).")
        Integer epochs;
        @Option(names = "--batch-size", description = "Batch size (default 256).")
        Integer batchSize;
        @Option(names = "--lr", description = "Initial learning rate (default 0.01).")
        Double learningRate;
        @Option(names = "--momentum", description = "Momentum (default 0.9).")
        Double momentum;
        @Option(names = "--weight-decay", description = "L2 weight decay (default 0.005).")
        Double weightDecay;
        @Option(names = "--lr-milestones", split = ",", description = "Epochs where the learning rate is multiplied by 0.1 (default 50,100).")
        List<Integer> milestones;
        @Option(names = "--seed", description = "Seed (default 42).")
        Long seed;
        @Option(names = "--output-dir", description = "Where run directories go (default checkpoints).")
        String outputDir;
        @Option(names = "--db", description = "Results database (default <output-dir>/redtest.db).")
        String database;
    }

    @Override
    public Integer call() {
        ConfigLoader.LoadedConfig loaded;
        if (source.config != null) {
            ConfigLoader.LoadedConfig file = ConfigLoader.load(source.config);
            ExperimentConfig c = file.config();
            ExperimentConfig trainOnly = new ExperimentConfig(c.name(), c.model(), c.seed(), c.data(), c.training(),
                    c.measure(), c.prune(), c.search(), List.of("train"), c.outputDir(), c.database());
            loaded = new ConfigLoader.LoadedConfig(trainOnly, file.text(), file.hash());
        } else {
            Flags f = source.flags;
            String name = f.name != null ? f.name : (f.model + "-" + f.dataset).replaceAll("[^A-Za-z0-9._-]", "_");
            ExperimentConfig c = new ExperimentConfig(name, f.model, f.seed,
                    new DataSpec(f.dataset, f.dataDir, f.trainLimit, f.trainPerClass, f.testLimit, null, f.noAugment ? false : null),
                    new TrainingConfig(f.epochs, f.batchSize, f.learningRate, f.momentum, f.weightDecay, f.milestones, null, null),
                    null, null, null, List.of("train"), f.outputDir, f.database);
            loaded = ConfigLoader.parse(ConfigLoader.toYaml(c), "command line");
        }
        Console.logComputePath();
        try (StopOnSignal stop = StopOnSignal.install()) { // closed after the report below, so the JVM halts after it
            try {
                new ExperimentRunner(out(), stop).run(loaded);
            } catch (TrainingInterrupted e) {
                return InterruptedTraining.report(spec, e);
            }
        }
        return 0;
    }
}
