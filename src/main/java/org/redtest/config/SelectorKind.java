package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** Survivor selection of the genetic algorithm: a tournament of {@code tournament_size}, or roulette wheel. */
public enum SelectorKind implements Choice {
    TOURNAMENT, ROULETTE;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static SelectorKind parse(String word) {
        return Choice.parse(SelectorKind.class, word, "selector");
    }

    @Override
    public String toString() {
        return word();
    }
}
