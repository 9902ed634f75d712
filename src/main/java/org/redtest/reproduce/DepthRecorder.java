package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The driver's side of a depth model trained elsewhere: its run directory's files, its database rows, then the
 * saved part, in that order, so that the part file (what a resumed suite looks for) is written only once the rest
 * is in place. A driver killed in between trains the model again on the next run.
 */
final class DepthRecorder {
    private DepthRecorder() {
    }

    static void record(TrainedDepthModel trained, SuiteConfig suite, PartStore parts) {
        Path runDirectory = suite.directory().resolve(trained.model());
        for (Map.Entry<String, byte[]> file : trained.files().entrySet()) {
            Path target = runDirectory.resolve(file.getKey()).normalize();
            if (!target.startsWith(runDirectory.normalize())) {
                throw new RedTestException("the result of " + trained.model() + " names a file outside its run directory: " + file.getKey());
            }
            try {
                AtomicFiles.write(target, out -> out.write(file.getValue()));
            } catch (IOException e) {
                throw new RedTestException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }
        try (ResultsDatabase db = ResultsDatabase.open(suite.directory().resolve("redtest.db"))) {
            trained.rows().writeInto(db);
        }
        parts.save(TrainedDepthModel.partName(trained.model()), trained.result());
    }
}
