package org.redtest.measure;

import org.redtest.config.MeasureConfig;
import org.redtest.config.Sampling;
import org.redtest.similarity.Msrs;
import org.redtest.zoo.Family;

/** Resolved measurement options: the YAML/CLI values with the family defaults filled in (docs/method.md, "MSRS"). */
public record MeasurementSettings(int batches, int batchSize, Sampling sampling, long seed, double beta, double gamma) {
    public static MeasurementSettings from(MeasureConfig c, Family family, long experimentSeed) {
        return new MeasurementSettings(c.batches(), c.batchSize(), c.sampling(),
                c.seed() != null ? c.seed() : experimentSeed,
                c.beta() != null ? c.beta() : Msrs.DEFAULT_BETA,
                c.gamma() != null ? c.gamma() : family.defaultGamma());
    }

    /** What a measurement actually used when the split had fewer images than asked (ProbeBatches): that is what is recorded. */
    public MeasurementSettings asUsed(int usedBatches, int usedBatchSize) {
        return new MeasurementSettings(usedBatches, usedBatchSize, sampling, seed, beta, gamma);
    }

    public MeasurementSettings withBatches(int probeBatches) {
        return new MeasurementSettings(probeBatches, batchSize, Sampling.FIRST, seed, beta, gamma);
    }
}
