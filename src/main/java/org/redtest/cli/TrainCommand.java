package org.redtest.cli;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataSpec;
import org.redtest.experiment.ExperimentRunner;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainingInterrupted;
import org.redtest.training.LongRunGuard;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model, from an experiment file's data and training sections or from flags.",
                "Checkpoints go to <output-dir>/<name>/model.zip every epoch; the same command resumes a killed run.",
                "A new CPU run estimated to take over an hour is refused unless --yes is given."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest train --model resnet20 --dataset fashion-mnist \\",
                "      --train-limit 6000 --epochs 5",
                "  bin/redtest train --config configs/quickstart.yaml",
                "  bin/redtest train --model resnet20 --dataset fashion-mnist --yes",
                "      the full 150-epoch recipe, hours on a CPU"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** What to train: an experiment file, or a model and data set named by flags. */
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "Experiment file: its train stage is run.")
        Path config;

        @ArgGroup(exclusive = false, multiplicity = "1")
        ModelAndData modelAndData;
    }

    static final class ModelAndData {
        @Option(names = "--model", paramLabel = "MODEL", required = true,
                description = "Model spec, e.g. resnet20 (README.md, 'Model specs').")
        String model;
        @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "fashion-mnist, cifar10 or cifar100.")
        String dataset;

        /** The train-only experiment these flags describe: what an experiment file with the same values yields. */
        ExperimentConfig experiment(Flags f) {
            String name = f.name != null ? f.name : (model + "-" + dataset).replaceAll("[^A-Za-z0-9._-]", "_");
            DataSpec data = DataSpec.of(dataset, f.dataDir).withLimits(f.trainLimit, f.trainPerClass, f.testLimit)
                    .withAugment(f.noAugment ? false : null);
            TrainingConfig training = TrainingConfig.defaults().withEpochs(f.epochs).withBatchSize(f.batchSize)
                    .withLearningRate(f.learningRate).withMomentum(f.momentum).withWeightDecay(f.weightDecay)
                    .withLrMilestones(f.milestones);
            return ExperimentConfig.of(name, model, data).withSeed(f.seed).withTraining(training)
                    .withStages(StageName.TRAIN).withOutput(f.outputDir, f.database);
        }
    }

    // kept out of the synopsis's one-of group so that it reads (--config | --model --dataset); only with --model
    @ArgGroup(exclusive = false, heading = "%nWith --model and --dataset (an experiment file sets these itself):%n")
    Flags flags;

    @Option(names = {"-y", "--yes"}, description = "Start even when the CPU training is estimated to take over an hour.")
    boolean yes;

    static final class Flags {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (CIFAR binary files; default for Fashion-MNIST: Debian's).")
        String dataDir;
        @Option(names = "--name", paramLabel = "NAME", description = "Run name (default: <model>-<dataset>).")
        String name;
        @Option(names = "--train-limit", paramLabel = "N", description = "Use the first N training images.")
        Integer trainLimit;
        @Option(names = "--train-per-class", paramLabel = "N", description = "Use the first N training images of each class.")
        Integer trainPerClass;
        @Option(names = "--test-limit", paramLabel = "N", description = "Use the first N test images.")
        Integer testLimit;
        @Option(names = "--no-augment", description = "Disable random crop and flip.")
        boolean noAugment;
        @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 150).")
        Integer epochs;
        @Option(names = "--batch-size", paramLabel = "N", description = "Batch size (default 256).")
        Integer batchSize;
        @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate (default 0.01).")
        Double learningRate;
        @Option(names = "--momentum", paramLabel = "M", description = "Momentum (default 0.9).")
        Double momentum;
        @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay (default 0.005).")
        Double weightDecay;
        @Option(names = "--lr-milestones", paramLabel = "EPOCH", split = ",", description = "Epochs where the learning rate is multiplied by 0.1 (default 50,100).")
        List<Integer> milestones;
        @Option(names = "--seed", paramLabel = "SEED", description = "Seed (default 42).")
        Long seed;
        @Option(names = "--output-dir", paramLabel = "DIR", description = "Where run directories go (default checkpoints).")
        String outputDir;
        @Option(names = "--db", paramLabel = "FILE", description = "Results database (default <output-dir>/redtest.db).")
        String database;
    }

    @Override
    public Integer call() {
        ConfigLoader.LoadedConfig loaded;
        if (source.config != null && flags != null) {
            throw new ParameterException(spec.commandLine(), "the training flags go with --model and --dataset; "
                    + "with --config, set them in the experiment file's data and training sections");
        }
        if (source.config != null) {
            ConfigLoader.LoadedConfig file = ConfigLoader.load(source.config);
            loaded = file.with(file.config().withStages(StageName.TRAIN));
        } else {
            loaded = ConfigLoader.of(source.modelAndData.experiment(flags != null ? flags : new Flags()), "command line");
        }
        Console.logComputePath();
        String howToShorten = source.config != null ? "lower training.epochs in " + source.config
                : "fewer --epochs (or a --train-limit)";
        try (StopOnSignal stop = StopOnSignal.install()) { // closed after the report below, so the JVM halts after it
            try {
                new ExperimentRunner(out(), stop, LongRunGuard.forCommand(yes, howToShorten)).run(loaded);
            } catch (TrainingInterrupted e) {
                return InterruptedTraining.report(spec, e);
            }
        }
        return 0;
    }
}
