package org.redtest.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** Which half of a dataset to read. */
public enum Split implements Choice {
    TRAIN,
    TEST;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static Split parse(String word) {
        return Choice.parse(Split.class, word, "split");
    }

    /** This half of {@code data}. */
    public ImageDataset of(LoadedData data) {
        return this == TRAIN ? data.train() : data.test();
    }

    @Override
    public String toString() {
        return word();
    }
}
