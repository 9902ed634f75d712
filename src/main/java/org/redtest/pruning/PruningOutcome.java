package org.redtest.pruning;

import java.nio.file.Path;
import java.util.List;

/**
 * One pruning result: the structure before and after, which units went (with their adjacent CKA),
 * accuracy before pruning, right after it and after fine-tuning, and the costs and MSRS on both sides.
 * {@code seed} drove the fine-tuning (and the random baseline's selection).
 */
public record PruningOutcome(String method, String criterion, long seed, String originalSpec, String prunedSpec,
                             List<DroppedUnit> dropped, List<String> reinitialized, int finetuneEpochs,
                             double top1Original, double top1Pruned, double top1FineTuned,
                             long paramsOriginal, long paramsPruned, long flopsOriginal, long flopsPruned,
                             double latencyOriginal, double latencyPruned, double msrsOriginal, double msrsPruned,
                             Path directory) {
    public record DroppedUnit(String unit, double adjacentCka) {
    }

    public double paramsReduction() {
        return reduction(paramsOriginal, paramsPruned);
    }

    public double flopsReduction() {
        return reduction(flopsOriginal, flopsPruned);
    }

    public double latencyReduction() {
        return reduction(latencyOriginal, latencyPruned);
    }

    /** Reduction in percent. */
    static double reduction(double before, double after) {
        return 100.0 * (before - after) / before;
    }
}
