package org.redtest.search;

import org.redtest.RedTestException;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.SearchConfig;
import org.redtest.data.LoadedData;

import java.lang.reflect.InvocationTargetException;

/** Opens the engine that {@code search.engine} names. */
public final class CandidateEngines {
    /** Loaded by name: the default runtime has no Spark jars, and only this engine needs them. */
    static final String SPARK_ENGINE = "org.redtest.search.spark.SparkCandidateEngine";

    private CandidateEngines() {
    }

    public static CandidateEngine open(ExperimentConfig cfg, LoadedData data, CandidateEvaluator evaluator) {
        if (!cfg.search().engine().equals(SearchConfig.SPARK)) {
            return new LocalEngine(evaluator);
        }
        try {
            return (CandidateEngine) Class.forName(SPARK_ENGINE)
                    .getConstructor(ExperimentConfig.class, LoadedData.class).newInstance(cfg, data);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RedTestException("cannot start the Spark engine: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RedTestException("search.engine spark needs Spark's jars, which the default build leaves out: "
                    + "build with 'mvn -Pcpu,spark -DskipTests package' and run bin/redtest (it adds target/spark-lib), "
                    + "or spark-submit target/redtest-spark.jar (docs/cluster.md) [" + e + "]", e);
        }
    }
}
