package org.redtest.reproduce;

import org.redtest.storage.ResultsDatabase;

/**
 * The driver's side of a depth model trained elsewhere: its run directory's files, its database rows, then the
 * saved part, in that order, so that the part file (what a resumed suite looks for) is written only once the rest
 * is in place. A driver killed in between trains the model again on the next run.
 */
final class DepthRecorder {
    private DepthRecorder() {
    }

    static void record(TrainedDepthModel trained, SuiteConfig suite, PartStore parts) {
        RunFiles.write(suite.directory().resolve(trained.model()), trained.files(), trained.model());
        try (ResultsDatabase db = ResultsDatabase.open(suite.directory().resolve("redtest.db"))) {
            trained.rows().writeInto(db);
        }
        parts.save(TrainedDepthModel.partName(trained.model()), trained.result());
    }
}
