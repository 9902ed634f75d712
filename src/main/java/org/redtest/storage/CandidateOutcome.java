package org.redtest.storage;

import java.io.Serializable;

/**
 * What evaluating one candidate produced, wherever it ran: a plain serializable record, so a Spark
 * executor can return it to the driver, which alone writes it to the results database.
 * {@code status} is done, degenerate or failed (then {@code error} says why);
 * times are seconds; {@code attempts} counts the engine's tries (Spark retries a dying task);
 * {@code startMicros} and {@code endMicros} bound the candidate's own work on the evaluating host's
 * clock (epoch microseconds), so a benchmark can see how long a task slot sat idle between candidates.
 */
public record CandidateOutcome(int index, String arch, CandidateStatus status, double accuracy, long params, long flops,
                               double latency, double msrsMean, double msrsStd, int msrsDroppedBatches,
                               double trainSeconds, double measureSeconds, String host, int attempts, String error,
                               String versions, long startMicros, long endMicros) implements Serializable {
    private static final long serialVersionUID = 2L;

    /** A candidate whose every attempt failed: no metrics, only the error. */
    public static CandidateOutcome failed(int index, String arch, int attempts, String error) {
        return new CandidateOutcome(index, arch, CandidateStatus.FAILED, Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0,
                Double.NaN, Double.NaN, null, attempts, error, null, 0, 0);
    }

    public CandidateOutcome withAttempts(int n) {
        return new CandidateOutcome(index, arch, status, accuracy, params, flops, latency, msrsMean, msrsStd,
                msrsDroppedBatches, trainSeconds, measureSeconds, host, n, error, versions, startMicros, endMicros);
    }

    /** Epoch microseconds now, for {@code startMicros} and {@code endMicros}. */
    public static long nowMicros() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    /** The candidate's own work (training and measurement), without any engine overhead. */
    public double computeSeconds() {
        return (Double.isFinite(trainSeconds) ? trainSeconds : 0) + (Double.isFinite(measureSeconds) ? measureSeconds : 0);
    }
}
