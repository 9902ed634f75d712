package org.redtest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/** What the S2 and S3 rewards penalise: latency (the paper), or Params / FLOPs (its appendix A). */
public enum CostMetric implements Choice {
    LATENCY, PARAMS, FLOPS;

    /** Reads {@code word} (case ignored); a word not listed here is refused with the ones that are. */
    @JsonCreator
    public static CostMetric parse(String word) {
        return Choice.parse(CostMetric.class, word, "cost metric");
    }

    @Override
    public String toString() {
        return word();
    }
}
