package org.redtest.pruning;

import org.redtest.engine.LatencyMeter;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * One pruning result: the structure before and after, which units went (with their adjacent CKA),
 * accuracy before pruning, right after it and after fine-tuning, and the costs and MSRS on both sides.
 * {@code seed} drove the fine-tuning (and the random baseline's selection). Latencies are batch-1 medians in
 * seconds with their spread (half the interquartile range over timing rounds). Serializable for a fine-tuning done
 * in a Spark task, which sends it without its {@code directory} (null: a path is not serializable, and the driver
 * names the directory it writes the files into).
 */
public record PruningOutcome(String method, String criterion, long seed, String originalSpec, String prunedSpec,
                             List<DroppedUnit> dropped, List<String> reinitialized, int finetuneEpochs,
                             double top1Original, double top1Pruned, double top1FineTuned,
                             long paramsOriginal, long paramsPruned, long flopsOriginal, long flopsPruned,
                             double latencyOriginal, double latencyPruned, double latencyOriginalSpread,
                             double latencyPrunedSpread, double msrsOriginal, double msrsPruned, Path directory)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public record DroppedUnit(String unit, double adjacentCka) implements Serializable {
        private static final long serialVersionUID = 1L;
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

    /** The spread of the latency reduction in points, from the two latencies' spreads (first-order propagation). */
    public double latencyReductionSpread() {
        double ratio = latencyPruned / latencyOriginal;
        return 100 * ratio * Math.hypot(latencyPrunedSpread / latencyPruned, latencyOriginalSpread / latencyOriginal);
    }

    /** This outcome with its latencies (seconds), timed with the original's in the same rounds. */
    public PruningOutcome withLatency(LatencyMeter.Latency original, LatencyMeter.Latency pruned) {
        return new PruningOutcome(method, criterion, seed, originalSpec, prunedSpec, dropped, reinitialized, finetuneEpochs,
                top1Original, top1Pruned, top1FineTuned, paramsOriginal, paramsPruned, flopsOriginal, flopsPruned,
                original.medianSeconds(), pruned.medianSeconds(), original.spreadSeconds(), pruned.spreadSeconds(),
                msrsOriginal, msrsPruned, directory);
    }

    /** This outcome with its fine-tuning's files in {@code dir} (null: not said, as a Spark task sends it). */
    public PruningOutcome withDirectory(Path dir) {
        return new PruningOutcome(method, criterion, seed, originalSpec, prunedSpec, dropped, reinitialized, finetuneEpochs,
                top1Original, top1Pruned, top1FineTuned, paramsOriginal, paramsPruned, flopsOriginal, flopsPruned,
                latencyOriginal, latencyPruned, latencyOriginalSpread, latencyPrunedSpread, msrsOriginal, msrsPruned, dir);
    }

    /** Reduction in percent. */
    static double reduction(double before, double after) {
        return 100.0 * (before - after) / before;
    }
}
