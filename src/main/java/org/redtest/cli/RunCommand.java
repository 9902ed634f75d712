package org.redtest.cli;

import org.redtest.config.ConfigLoader;
import org.redtest.experiment.ExperimentRunner;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainingInterrupted;
import org.redtest.training.LongRunGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment file: its stages (train, evaluate, measure, prune) in order.",
                "A killed run resumes from its last completed epoch when the same command is run again.",
                "A new CPU training stage estimated to take over an hour is refused unless --yes is given."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest run configs/quickstart.yaml",
                "      a small ResNet on Fashion-MNIST: train, evaluate, measure, prune",
                "  bin/redtest run configs/nas-reduced.yaml",
                "      redundancy-aware architecture search at reduced scale"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Parameters(paramLabel = "CONFIG.yaml", description = "Experiment file (see configs/).")
    Path config;

    @Option(names = {"-y", "--yes"}, description = "Start the train stage even when it is estimated to take over an hour on the CPU.")
    boolean yes;

    @Option(names = "--retime", description = "Time the pruned models' latencies again; by default a re-run keeps the "
            + "latencies an earlier run timed (the models have not changed, a new timing only adds noise).")
    boolean retime;

    @Override
    public Integer call() {
        ConfigLoader.LoadedConfig loaded = ConfigLoader.load(config);
        Console.logComputePath();
        try (StopOnSignal stop = StopOnSignal.install()) { // as in TrainCommand
            try {
                new ExperimentRunner(out(), stop, LongRunGuard.forCommand(yes, "lower training.epochs in " + config))
                        .retiming(retime).run(loaded);
            } catch (TrainingInterrupted e) {
                return InterruptedTraining.report(spec, e);
            }
        }
        return 0;
    }
}
