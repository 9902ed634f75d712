package org.redtest.reproduce;

import org.redtest.pruning.PruningPipeline;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a suite's independent trainings run when not in child JVMs on this machine: as Spark tasks
 * (org.redtest.reproduce.spark, loaded by name so that the default runtime needs no Spark jar). The engine
 * only computes; each outcome comes back to the caller's thread, which alone writes files and the database.
 */
public interface SweepEngine extends AutoCloseable {
    /**
     * Trains, evaluates and measures each of {@code models} with the suite {@code suiteJson} (as
     * {@link SuiteConfig#forTask} writes it); returns when every outcome went to the sink, in the order they finished.
     */
    void trainDepthModels(String suiteJson, List<String> models, Consumer<SweepOutcome<TrainedDepthModel>> sink);

    /**
     * Prunes the trained model whose checkpoint is {@code checkpoint} as each of {@code fineTunings} says, fine-tunes
     * and measures it (no latency); returns when every outcome, keyed by {@link FineTuningBase#key}, went to the sink.
     */
    void fineTunePruned(FineTuningBase base, byte[] checkpoint, List<PruningPipeline.FineTuning> fineTunings,
                        Consumer<SweepOutcome<FineTunedModel>> sink);

    /** One line for the log, e.g. "spark local[2,4]: 2 task slot(s), up to 4 attempt(s) each". */
    String describe();

    @Override
    void close();
}
