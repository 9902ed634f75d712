package org.redtest.search;

import org.redtest.config.ExperimentConfig;
import org.redtest.config.EngineKind;
import org.redtest.data.LoadedData;
import org.redtest.spark.SparkClasses;

/** Opens the engine that {@code search.engine} names. */
public final class CandidateEngines {
    /** Loaded by name: the default runtime has no Spark jars, and only this engine needs them. */
    static final String SPARK_ENGINE = "org.redtest.search.spark.SparkCandidateEngine";

    private CandidateEngines() {
    }

    public static CandidateEngine open(ExperimentConfig cfg, LoadedData data, CandidateEvaluator evaluator) {
        if (cfg.search().engine() != EngineKind.SPARK) {
            return new LocalEngine(evaluator);
        }
        return SparkClasses.instantiate(CandidateEngine.class, SPARK_ENGINE, "search.engine spark",
                new Class<?>[] {ExperimentConfig.class, LoadedData.class}, cfg, data);
    }
}
