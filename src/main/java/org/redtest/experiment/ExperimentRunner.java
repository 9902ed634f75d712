package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.EvaluationResult;
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

    private static ComputationGraph trainedModel(CheckpointStore store, StageName stage) {
        if (!store.hasModel()) {
            throw new RedTestException("stage '" + stage + "' needs a trained model: no checkpoint " + store.modelFile()
                    + " (run the train stage first)");
        }
        return CheckpointStore.load(store.modelFile());
    }

    public void run(ConfigLoader.LoadedConfig loaded) {
        ExperimentConfig cfg = loaded.config();
        LoadedData data = DataLoader.load(cfg.data());
        if (cfg.runs(StageName.TRAIN)) {
            TrainingTimeCheck.run(longRunGuard, cfg, data); // before the database or run directory is written
        }
        try (ResultsDatabase db = ResultsDatabase.open(cfg.databasePath())) {
            ComputationGraph graph = null;
            Long runId = db.runId(cfg.name()).orElse(null);
            Double testTop1 = null;
            CheckpointStore store = new CheckpointStore(cfg.runDirectory());
            for (StageName stage : cfg.stages()) {
                LOG.info("stage '{}' of experiment '{}'", stage, cfg.name());
                switch (stage) {
                    case TRAIN -> {
                        TrainStage.Result r = TrainStage.run(loaded, data, db, stop);
                        graph = r.graph();
                        runId = r.runId();
                    }
                    case EVALUATE -> {
                        graph = graph != null ? graph : trainedModel(store, stage);
                        EvaluationResult e = EvaluateStage.run(graph, data.test(), data.normalization(),
                                cfg.training().evalBatchSize(), db, runId, store.modelFile().toString(), cfg.model());
                        testTop1 = e.top1();
                        out.printf("%s on %d %s test images: top-1 %.2f%%, top-5 %.2f%% (loss %.4f)%n",
                                cfg.model(), e.samples(), data.test().name(), e.top1(), e.top5(), e.loss());
                    }
                    case PRUNE -> {
                        graph = graph != null ? graph : trainedModel(store, stage);
                        PruneStage.run(loaded, graph, data, db, runId, out);
                    }
                    case SEARCH -> SearchStage.run(cfg, data, db, out);
                    case MEASURE -> {
                        graph = graph != null ? graph : trainedModel(store, stage);
                        MeasureStage.run(cfg, graph, data, db, runId, store.modelFile().toString(), testTop1, out);
                    }
                }
            }
            out.printf("results: %s (run '%s')%s%n", db.file(), cfg.name(),
                    store.hasModel() ? ", checkpoint " + store.modelFile() : "");
            out.flush();
        }
    }
}
