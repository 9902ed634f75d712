package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.data.DataSpec;
import org.redtest.training.RunMetadata;

import java.util.Optional;

/** The data a command works on: the run's own (from its run.json) unless --dataset names another. */
final class DataChoice {
    private DataChoice() {
    }

    /**
     * @param testLimit overrides the run's test subset when given
     * @param missing   the message when there is neither a run.json nor --dataset
     */
    static DataSpec resolve(Optional<RunMetadata> run, String dataset, String dataDir, Integer testLimit, String missing) {
        DataSpec base = run.map(RunMetadata::data).orElse(null);
        if (base == null && dataset == null) {
            throw new RedTestException(missing);
        }
        boolean runData = dataset == null;
        String name = runData ? base.dataset() : dataset;
        String dir = dataDir != null ? dataDir : (runData ? base.dir() : null);
        Integer limit = testLimit != null ? testLimit : (runData ? base.testLimit() : null);
        Integer perClass = testLimit == null && runData ? base.testPerClass() : null;
        return new DataSpec(name, dir, runData ? base.trainLimit() : null, runData ? base.trainPerClass() : null,
                limit, perClass, false).validate();
    }
}
