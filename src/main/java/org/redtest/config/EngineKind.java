package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** Where search candidates train: in this process, or as Spark tasks (docs/cluster.md). */
public enum EngineKind implements Choice {
    LOCAL, SPARK;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static EngineKind parse(String word) {
        return Choice.parse(EngineKind.class, word, "search engine");
    }

    @Override
    public String toString() {
        return word();
    }
}
