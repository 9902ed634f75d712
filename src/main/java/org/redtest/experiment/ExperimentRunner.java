package org.redtest.experiment;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.engine.Engines;
import org.redtest.config.StageName;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.io.DirectoryLock;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.StopOnSignal;
import org.redtest.training.LongRunGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;

/** Runs an experiment file's stages in order over one model and data set. */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private final PrintWriter out;
    private final StopOnSignal stop;
    private final LongRunGuard longRunGuard;
    private boolean retime;

    public ExperimentRunner(PrintWriter out) {
        this(out, StopOnSignal.never(), LongRunGuard.OFF);
    }

    /**
     * @param stop         what stops the train stage cleanly (see TrainCommand)
     * @param longRunGuard decides whether a new CPU training run that takes long may start
     */
    public ExperimentRunner(PrintWriter out, StopOnSignal stop, LongRunGuard longRunGuard) {
        this.out = out;
        this.stop = stop;
        this.longRunGuard = longRunGuard;
    }

    /** Makes the prune stage time latencies again even where an earlier run of the same pruning timed them. */
    public ExperimentRunner retiming(boolean retime) {
        this.retime = retime;
        return this;
    }

    /** The stage that does what {@code name} names in an experiment file. */
    Stage stage(StageName name) {
        return switch (name) {
            case TRAIN -> new TrainStage(stop);
            case EVALUATE -> new EvaluateStage();
            case MEASURE -> new MeasureStage();
            case PRUNE -> new PruneStage(retime, stop);
            case SEARCH -> new SearchStage();
        };
    }

    public void run(ConfigLoader.LoadedConfig loaded) {
        ExperimentConfig cfg = loaded.config();
        Engines.preferFromSettings(cfg.device()); // before any data or model is touched: a missing GPU is said at once
        LoadedData data = DataLoader.load(cfg.data());
        if (cfg.runs(StageName.TRAIN)) {
            TrainingTimeCheck.run(longRunGuard, cfg, data); // before the database or run directory is written
        }
        // a search alone may be shared by several processes (CandidateStore); every other stage writes the run directory
        boolean writesRunDirectory = cfg.stages().stream().anyMatch(s -> s != StageName.SEARCH);
        try (DirectoryLock lock = writesRunDirectory ? DirectoryLock.acquire(cfg.runDirectory(), "run directory") : null;
             ResultsDatabase db = ResultsDatabase.open(cfg.databasePath());
             ExperimentRun run = new ExperimentRun(loaded, data, db, out)) {
            for (StageName stage : cfg.stages()) {
                LOG.info("stage '{}' of experiment '{}'", stage, cfg.name());
                stage(stage).run(run);
            }
            CheckpointStore store = run.store();
            out.printf("results: %s (run '%s')%s%n", db.file(), cfg.name(),
                    store.hasModel() ? ", checkpoint " + store.modelFile() : "");
            out.flush();
        }
    }
}
