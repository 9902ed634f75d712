package org.redtest.search.spark;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.search.CandidateEvaluator;

/**
 * The candidate evaluator of an executor JVM, built once per search (loading the data set is the
 * costly part) and shared by the tasks that run there at the same time. One search at a time: a
 * new one replaces the old, so a long-lived executor does not keep every data set it has seen.
 */
final class ExecutorEvaluators {
    private static String yaml;
    private static CandidateEvaluator evaluator;
    private static String seededYaml;
    private static LoadedData seededData;

    private ExecutorEvaluators() {
    }

    /** In local mode the driver's loaded data serve the executors of the same JVM. */
    static synchronized void seed(String experimentYaml, LoadedData data) {
        seededYaml = experimentYaml;
        seededData = data;
    }

    /** Lets go of the data when a search in this JVM ends (local mode: the driver's JVM lives on in tests). */
    static synchronized void clear() {
        yaml = null;
        evaluator = null;
        seededYaml = null;
        seededData = null;
    }

    static synchronized CandidateEvaluator get(String experimentYaml) {
        if (!experimentYaml.equals(yaml)) {
            CpuAcceleration.configure(); // before ND4J is first touched in this JVM
            ExperimentConfig cfg = ConfigLoader.parse(experimentYaml, "the search's experiment (Spark task)").config();
            LoadedData data = experimentYaml.equals(seededYaml) ? seededData : DataLoader.load(cfg.data());
            evaluator = CandidateEvaluator.forSearch(cfg, data);
            yaml = experimentYaml;
        }
        return evaluator;
    }
}
