package org.redtest.pruning;

import org.redtest.engine.LatencyMeter;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * One pruning result: the structure before and after, which units went (with their adjacent CKA),
 * accuracy before pruning, right after it and after fine-tuning, and the costs and MSRS on both sides.
 * {@code seed} drove the fine-tuning (and the random baseline's selection). Latencies are batch-1 medians in
 * seconds with their spread (half the interquartile range over timing rounds), and in how many of the rounds the
 * pruned model was faster. MSRS counts redundant pairs, so it comes with the measured units (pairs = u (u - 1) / 2)
 * that make before and after comparable as shares. Serializable for a fine-tuning done
 * in a Spark task, which sends it without its {@code directory} (null: a path is not serializable, and the driver
 * names the directory it writes the files into).
 */
public record PruningOutcome(String method, String criterion, long seed, String originalSpec, String prunedSpec,
                             List<DroppedUnit> dropped, List<String> reinitialized, int finetuneEpochs,
                             double top1Original, double top1Pruned, double top1FineTuned,
                             long paramsOriginal, long paramsPruned, long flopsOriginal, long flopsPruned,
                             double latencyOriginal, double latencyPruned, double latencyOriginalSpread,
                             double latencyPrunedSpread, int latencyFasterRounds, int latencyRounds,
                             double msrsOriginal, double msrsPruned, int unitsOriginal, int unitsPruned, Path directory)
        implements Serializable {
    private static final long serialVersionUID = 2L;

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

    /** The latency reduction with what it takes to call it a result (see {@link LatencyDifference}). */
    public LatencyDifference latencyDifference() {
        return new LatencyDifference(latencyReduction(), latencyReductionSpread(), latencyFasterRounds, latencyRounds);
    }

    /** Top-1 after fine-tuning minus the original's, in points (negative: accuracy lost). */
    public double top1Change() {
        return top1FineTuned - top1Original;
    }

    /** MSRS of the original as a percentage of its unit pairs (NaN when the units are not known). */
    public double msrsShareOriginal() {
        return share(msrsOriginal, unitsOriginal);
    }

    /** MSRS of the pruned model as a percentage of its unit pairs: fewer units have fewer pairs to be redundant. */
    public double msrsSharePruned() {
        return share(msrsPruned, unitsPruned);
    }

    /** The unit pairs MSRS counts over: u (u - 1) / 2. */
    public static long pairs(int units) {
        return (long) units * (units - 1) / 2;
    }

    static double share(double msrs, int units) {
        return units > 1 ? 100 * msrs / pairs(units) : Double.NaN;
    }

    /** This outcome with its latencies (seconds), timed with the original's in the same rounds. */
    public PruningOutcome withLatency(LatencyMeter.Latency original, LatencyMeter.Latency pruned) {
        double[] o = original.roundSeconds();
        double[] p = pruned.roundSeconds();
        return withLatency(original.medianSeconds(), pruned.medianSeconds(), original.spreadSeconds(),
                pruned.spreadSeconds(), LatencyDifference.fasterRounds(o, p), Math.min(o.length, p.length));
    }

    /** This outcome with latencies given as figures (seconds): timings kept from an earlier run. */
    public PruningOutcome withLatency(double original, double pruned, double originalSpread, double prunedSpread,
                                      int fasterRounds, int rounds) {
        return new PruningOutcome(method, criterion, seed, originalSpec, prunedSpec, dropped, reinitialized, finetuneEpochs,
                top1Original, top1Pruned, top1FineTuned, paramsOriginal, paramsPruned, flopsOriginal, flopsPruned,
                original, pruned, originalSpread, prunedSpread, fasterRounds, rounds,
                msrsOriginal, msrsPruned, unitsOriginal, unitsPruned, directory);
    }

    /** This outcome with its fine-tuning's files in {@code dir} (null: not said, as a Spark task sends it). */
    public PruningOutcome withDirectory(Path dir) {
        return new PruningOutcome(method, criterion, seed, originalSpec, prunedSpec, dropped, reinitialized, finetuneEpochs,
                top1Original, top1Pruned, top1FineTuned, paramsOriginal, paramsPruned, flopsOriginal, flopsPruned,
                latencyOriginal, latencyPruned, latencyOriginalSpread, latencyPrunedSpread, latencyFasterRounds,
                latencyRounds, msrsOriginal, msrsPruned, unitsOriginal, unitsPruned, dir);
    }

    /** Reduction in percent. */
    static double reduction(double before, double after) {
        return 100.0 * (before - after) / before;
    }
}
