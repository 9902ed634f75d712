package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.pruning.PruningOutcome;
import org.redtest.storage.ResultsDatabase;

import java.nio.file.Path;

/**
 * The driver's side of a fine-tuning done elsewhere: its directory's files, its database rows, then its saved
 * outcome, in that order, so that the outcome (what a resumed suite looks for) is saved only once the rest is in
 * place. A driver killed in between fine-tunes it again on the next run.
 */
final class FineTuningRecorder {
    private FineTuningRecorder() {
    }

    /** Records {@code tuned} of the pruned model whose run directory is {@code runDirectory}; returns its outcome there. */
    static PruningOutcome record(FineTunedModel tuned, Path runDirectory, ResultsDatabase db, PartStore parts) {
        Path directory = runDirectory.resolve(tuned.directoryName());
        if (!runDirectory.normalize().equals(directory.normalize().getParent())) {
            throw new RedTestException("the result of " + tuned.key() + " names a directory outside its run directory: "
                    + tuned.directoryName());
        }
        RunFiles.write(directory, tuned.files(), tuned.key());
        tuned.rows().writeInto(db);
        PruningOutcome outcome = tuned.outcome().withDirectory(directory);
        parts.save(tuned.key(), outcome);
        return outcome;
    }
}
