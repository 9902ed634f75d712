package org.redtest.storage;

import org.redtest.RedTestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's status true when its stage fails cleanly: 'failed' with the one-line reason instead of a
 * 'running' row whose process is gone. Best effort: when the database itself is what failed (busy, full),
 * the row cannot be changed either, and the error that stopped the run is the one reported.
 */
public final class RunFailure {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailure.class);

    private RunFailure() {
    }

    public static void record(ResultsDatabase db, long runId, Throwable failure) {
        String reason = failure instanceof RedTestException ? failure.getMessage() : failure.toString();
        try {
            db.markFailed(runId, reason);
        } catch (RuntimeException e) {
            LOG.warn("could not mark run {} failed in {}: {}", runId, db.file(), e.getMessage());
        }
    }
}
