package org.redtest.storage;

import org.redtest.Choice;

/**
 * Where a run stands in {@code runs.status}, stored as its word ({@code running}, {@code finished},
 * {@code interrupted}, {@code failed}): being trained (or killed while it was: see {@link RunStatusText}), done,
 * stopped by a signal and resumable, or ended by an error (column {@code error} says which).
 */
public enum RunStatus implements Choice {
    RUNNING, FINISHED, INTERRUPTED, FAILED;

    /** The status a database row spells {@code word}. */
    public static RunStatus parse(String word) {
        return Choice.parse(RunStatus.class, word, "run status");
    }

    @Override
    public String toString() {
        return word();
    }
}
