package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** How candidates are chosen: every cell (or a seeded sample of them), or the Jenetics genetic algorithm. */
public enum SearchStrategy implements Choice {
    EXHAUSTIVE, EVOLUTIONARY;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static SearchStrategy parse(String word) {
        return Choice.parse(SearchStrategy.class, word, "search strategy");
    }

    @Override
    public String toString() {
        return word();
    }
}
