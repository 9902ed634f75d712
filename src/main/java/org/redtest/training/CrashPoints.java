package org.redtest.training;

import java.util.function.Consumer;

/**
 * Named instants of the per-epoch save sequence, where crash-consistency tests stop the run as a
 * {@code kill -9} would (by throwing from the hook, so no later step of the sequence runs). In
 * normal runs the hook does nothing.
 */
final class CrashPoints {
    /** After the epoch's record is added to {@code epochs.json} and before {@code model.zip} is written. */
    static final String EPOCH_LOG_WRITTEN = "epoch-log-written";
    /** After {@code model.zip}'s temporary file is flushed, before its rename (and likewise for other files). */
    static final String BEFORE_RENAME = "before-rename:";
    /** After {@code model.zip} is renamed into place, before the epoch's database row is written. */
    static final String MODEL_SAVED = "model-saved";
    /** After the epoch's database row (the listener) is written. */
    static final String EPOCH_RECORDED = "epoch-recorded";

    static volatile Consumer<String> hook = point -> { };

    private CrashPoints() {
    }

    static void reach(String point) {
        hook.accept(point);
    }
}
