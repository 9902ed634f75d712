package org.redtest.search;

import java.io.Serializable;

/**
 * What evaluating one candidate produced, wherever it ran: a plain serializable record, so a Spark
 * executor can return it to the driver, which alone writes it to the results database.
 * {@code status} is {@code done}, {@code degenerate} or {@code failed} (then {@code error} says why);
 * times are seconds; {@code attempts} counts the engine's tries (Spark retries a dying task);
 * {@code wallSeconds} runs from the engine taking the candidate to its outcome reaching the driver,
 * so {@code wallSeconds - computeSeconds()} is what the engine itself cost.
 */
public record CandidateOutcome(int index, String arch, String status, double accuracy, long params, long flops,
                               double latency, double msrsMean, double msrsStd, int msrsDroppedBatches,
                               double trainSeconds, double measureSeconds, String host, int attempts, String error,
                               String versions, double wallSeconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A candidate whose every attempt failed: no metrics, only the error. */
    public static CandidateOutcome failed(int index, String arch, int attempts, String error) {
        return new CandidateOutcome(index, arch, "failed", Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0,
                Double.NaN, Double.NaN, null, attempts, error, null, Double.NaN);
    }

    /** The same outcome as the engine saw it: after {@code n} attempts, {@code wall} seconds in all. */
    public CandidateOutcome asSeenByEngine(int n, double wall) {
        return new CandidateOutcome(index, arch, status, accuracy, params, flops, latency, msrsMean, msrsStd,
                msrsDroppedBatches, trainSeconds, measureSeconds, host, n, error, versions, wall);
    }

    /** The candidate's own work (training and measurement), without any engine overhead. */
    public double computeSeconds() {
        return (Double.isFinite(trainSeconds) ? trainSeconds : 0) + (Double.isFinite(measureSeconds) ? measureSeconds : 0);
    }
}
