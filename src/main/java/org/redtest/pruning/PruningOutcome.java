package org.redtest.pruning;

import org.redtest.engine.LatencyMeter;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * One pruning result, as what it is: the {@link Selection} (which rule dropped which units, with their adjacent
 * CKA, under which seed), the model {@code before} and {@code after} (each a {@link Side}: spec, costs, top-1,
 * MSRS over its measured units, batch-1 latency), and the {@link FineTuning} between them (layers re-initialised,
 * epochs, top-1 right after pruning). {@code seed} drove the fine-tuning (and the random baseline's selection).
 * Latencies are batch-1 medians in seconds with their spread (half the interquartile range over timing rounds),
 * timed in shared rounds: {@code latencyFasterRounds} of {@code latencyRounds} had the pruned model faster. MSRS
 * counts redundant pairs, so it comes with the measured units (pairs = u (u - 1) / 2) that make before and after
 * comparable as shares. Serializable for a fine-tuning done in a Spark task, which sends it without its
 * {@code directory} (null: a path is not serializable, and the driver names the directory it writes the files into).
 */
public record PruningOutcome(Selection selection, Side before, Side after, FineTuning fineTuning,
                             int latencyFasterRounds, int latencyRounds, Path directory) implements Serializable {
    private static final long serialVersionUID = 3L;

    public record DroppedUnit(String unit, double adjacentCka) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Which units went, chosen by {@code method} under {@code criterion} (e.g. keep6, tau0.9), with {@code seed}. */
    public record Selection(String method, String criterion, long seed, List<DroppedUnit> dropped) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * One side of a pruning: the model's spec, Params and FLOPs, top-1 (the original's; the pruned model's after
     * fine-tuning), MSRS over {@code units} measured units, and batch-1 latency with its spread (NaN until timed).
     */
    public record Side(String spec, long params, long flops, double top1, double msrs, int units, double latency,
                       double latencySpread) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The same side with its latency (seconds) and spread. */
        Side timed(double seconds, double spread) {
            return new Side(spec, params, flops, top1, msrs, units, seconds, spread);
        }
    }

    /** What happened between before and after: layers re-initialised, epochs, and top-1 right after pruning. */
    public record FineTuning(List<String> reinitialized, int epochs, double top1Pruned) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public double paramsReduction() {
        return reduction(before.params(), after.params());
    }

    public double flopsReduction() {
        return reduction(before.flops(), after.flops());
    }

    public double latencyReduction() {
        return reduction(before.latency(), after.latency());
    }

    /** The spread of the latency reduction in points, from the two latencies' spreads (first-order propagation). */
    public double latencyReductionSpread() {
        double ratio = after.latency() / before.latency();
        return 100 * ratio * Math.hypot(after.latencySpread() / after.latency(), before.latencySpread() / before.latency());
    }

    /** The latency reduction with what it takes to call it a result (see {@link LatencyDifference}). */
    public LatencyDifference latencyDifference() {
        return new LatencyDifference(latencyReduction(), latencyReductionSpread(), latencyFasterRounds, latencyRounds);
    }

    /** Top-1 after fine-tuning minus the original's, in points (negative: accuracy lost). */
    public double top1Change() {
        return after.top1() - before.top1();
    }

    /** MSRS of the original as a percentage of its unit pairs (NaN when the units are not known). */
    public double msrsShareOriginal() {
        return share(before.msrs(), before.units());
    }

    /** MSRS of the pruned model as a percentage of its unit pairs: fewer units have fewer pairs to be redundant. */
    public double msrsSharePruned() {
        return share(after.msrs(), after.units());
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
        return new PruningOutcome(selection, before.timed(original, originalSpread), after.timed(pruned, prunedSpread),
                fineTuning, fasterRounds, rounds, directory);
    }

    /** This outcome with its fine-tuning's files in {@code dir} (null: not said, as a Spark task sends it). */
    public PruningOutcome withDirectory(Path dir) {
        return new PruningOutcome(selection, before, after, fineTuning, latencyFasterRounds, latencyRounds, dir);
    }

    /** Reduction in percent. */
    static double reduction(double before, double after) {
        return 100.0 * (before - after) / before;
    }
}
