package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** How units are chosen for removal: by CKA redundancy (the method), or the random and linear-probe baselines. */
public enum PruneMethod implements Choice {
    CKA, RANDOM, LINEAR_PROBE;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static PruneMethod parse(String word) {
        return Choice.parse(PruneMethod.class, word, "pruning method");
    }

    @Override
    public String toString() {
        return word();
    }
}
