package org.redtest.reproduce;

import org.redtest.pruning.PruningPipeline;

import java.io.Serializable;

/**
 * What each fine-tuning task of one pruned model starts from, besides the trained checkpoint: the suite (as
 * {@link SuiteConfig#forTask} writes it), the model and the units it keeps, and the driver's one evaluation and
 * measurement of it with the selections made from them.
 */
public record FineTuningBase(String suiteJson, String model, int keep, PruningPipeline.Selection selection)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A fine-tuning's key: its saved outcome's name under the suite's parts, and its fault-injection key. */
    public String key(PruningPipeline.FineTuning f) {
        return PruningPart.partName(model) + "/" + f.method() + "-seed" + f.seed();
    }

    SuiteConfig.PruneTarget target() {
        return new SuiteConfig.PruneTarget(model, keep);
    }
}
