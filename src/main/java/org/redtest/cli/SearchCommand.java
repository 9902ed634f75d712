package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.EngineKind;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.experiment.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Redundancy-aware NAS over the NATS topology space (the search section of an experiment file).",
                "Evaluated candidates live in the results database; running the same search again (or with --resume) "
                        + "picks up where a killed search stopped and never retrains a candidate."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest search --config configs/nas-reduced.yaml"})
final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--config", required = true, description = "Experiment file with data, measure and search sections.")
    Path config;
    @Option(names = "--resume", description = "Continue a killed search (the default behaviour; accepted for clarity).")
    boolean resume;
    @Option(names = "--engine", description = "Where candidates train: local (this process) or spark (Spark tasks; docs/cluster.md). Overrides search.engine.")
    String engine;
    @Option(names = "--master", description = "Spark master URL for --engine spark, e.g. local[2] or spark://host:7077. Overrides search.spark.master.")
    String master;

    @Override
    public Integer call() {
        EngineKind engineKind = EngineKind.parse(engine);
        ConfigLoader.LoadedConfig file = ConfigLoader.load(config).requireSectionsFor(List.of(StageName.SEARCH), config.toString());
        ExperimentConfig c = file.config();
        if (c.data() == null) {
            throw new RedTestException("the search needs a data section");
        }
        ConfigLoader.LoadedConfig searchOnly = file.with(c.withStages(StageName.SEARCH)
                .withSearch(c.search().withEngine(engineKind, master)));
        Console.logComputePath();
        new ExperimentRunner(spec.commandLine().getOut()).run(searchOnly);
        return 0;
    }
}
