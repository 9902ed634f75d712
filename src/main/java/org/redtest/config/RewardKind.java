package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** The three NAS rewards (paper AS1; docs/method.md): S1 accuracy, S2 with a cost term, S3 with cost and MSRS terms. */
public enum RewardKind implements Choice {
    S1, S2, S3;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static RewardKind parse(String word) {
        return Choice.parse(RewardKind.class, word, "reward");
    }

    /** Written as in the paper, upper case. */
    @Override
    public String word() {
        return name();
    }

    @Override
    public String toString() {
        return word();
    }
}
