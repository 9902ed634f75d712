package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** A stage an experiment runs, as listed in {@code stages:} (docs/method.md); run in the order given. */
public enum StageName implements Choice {
    TRAIN, EVALUATE, MEASURE, PRUNE, SEARCH;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static StageName parse(String word) {
        return Choice.parse(StageName.class, word, "stage");
    }

    @Override
    public String toString() {
        return word();
    }
}
