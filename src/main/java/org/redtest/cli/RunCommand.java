package org.redtest.cli;

import org.redtest.config.ConfigLoader;
import org.redtest.experiment.ExperimentRunner;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainingInterrupted;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment file: its stages (train, evaluate, measure, prune) in order.",
                "A killed run resumes from its last completed epoch when the same command is run again."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Parameters(paramLabel = "CONFIG.yaml", description = "Experiment file (see configs/).")
    Path config;

    @Override
    public Integer call() {
        ConfigLoader.LoadedConfig loaded = ConfigLoader.load(config);
        Console.logComputePath();
        try (StopOnSignal stop = StopOnSignal.install()) { // as in TrainCommand
            try {
                new ExperimentRunner(out(), stop).run(loaded);
            } catch (TrainingInterrupted e) {
                return InterruptedTraining.report(spec, e);
            }
        }
        return 0;
    }
}
