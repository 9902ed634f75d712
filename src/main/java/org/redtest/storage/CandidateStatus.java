package org.redtest.storage;

import org.redtest.Choice;

/**
 * Where a NAS candidate stands in {@code nas_candidates.status}, stored as its word ({@code claimed}, {@code done},
 * {@code degenerate}, {@code failed}): claimed by a search process and in training, measured, untrainable (a cell
 * with no path from input to output), or given up after every attempt of the engine failed (column {@code error}
 * says why; kept like a result, so a resumed search does not retry it).
 */
public enum CandidateStatus implements Choice {
    CLAIMED, DONE, DEGENERATE, FAILED;

    /** The status a database row spells {@code word}. */
    public static CandidateStatus parse(String word) {
        return Choice.parse(CandidateStatus.class, word, "candidate status");
    }

    /** A finished candidate (anything but claimed) has its result: it is never evaluated again. */
    public boolean finished() {
        return this != CLAIMED;
    }

    @Override
    public String toString() {
        return word();
    }
}
