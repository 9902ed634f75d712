package org.redtest.reproduce;

import org.redtest.config.SparkConfig;
import org.redtest.spark.SparkClasses;

/** Opens the engine a suite's {@code engine: spark} asks for. */
final class SweepEngines {
    /** Loaded by name: the default runtime has no Spark jars, and only this engine needs them. */
    static final String SPARK_ENGINE = "org.redtest.reproduce.spark.SparkSweepEngine";

    private SweepEngines() {
    }

    static SweepEngine open(SuiteConfig suite) {
        return SparkClasses.instantiate(SweepEngine.class, SPARK_ENGINE, "engine spark (the suite's trainings on Spark)",
                new Class<?>[] {SparkConfig.class, String.class}, suite.spark(), "redtest suite " + suite.name());
    }
}
