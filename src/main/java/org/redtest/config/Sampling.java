package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** Which images MSRS is measured on: the first batches of the split, or batches drawn with a seed. */
public enum Sampling implements Choice {
    FIRST, RANDOM;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static Sampling parse(String word) {
        return Choice.parse(Sampling.class, word, "sampling");
    }

    @Override
    public String toString() {
        return word();
    }
}
