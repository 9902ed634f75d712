package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.training.CheckpointStore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code --checkpoint} accepts: a model.zip, or the run directory that holds one (checkpoints/quickstart,
 * which is what a user sees in the results line of run). A missing path or a directory without a model says
 * which of the two it is.
 */
final class CheckpointPath {
    private CheckpointPath() {
    }

    static Path resolve(Path given) {
        if (Files.isDirectory(given)) {
            Path model = given.resolve(CheckpointStore.MODEL_FILE);
            if (Files.isRegularFile(model)) {
                return model;
            }
            throw new RedTestException("no " + CheckpointStore.MODEL_FILE + " in " + given
                    + ": the run has not finished an epoch yet, or this is not a run directory");
        }
        if (!Files.isRegularFile(given)) {
            throw new RedTestException("checkpoint not found: " + given + " (give a model.zip or the run directory "
                    + "holding it, e.g. checkpoints/quickstart)");
        }
        return given;
    }
}
