package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** The three NAS rewards (paper AS1; docs/method.md): S1 accuracy, S2 with a cost term, S3 with cost and MSRS terms. */
public enum RewardKind implements Choice {
    S1("S1"), S2("S2"), S3("S3");

    private final String word;

    RewardKind(String word) {
        this.word = word;
    }

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static RewardKind parse(String word) {
        return Choice.parse(RewardKind.class, word, "reward");
    }

    @Override
    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }
}
