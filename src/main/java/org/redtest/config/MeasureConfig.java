package org.redtest.config;

import org.redtest.RedTestException;
import org.redtest.data.Split;

/**
 * The {@code measure} section: which images the redundancy measurement uses and the MSRS
 * parameters (docs/method.md, "MSRS"). Defaults: the first 10 batches of 256 test images; beta 100; gamma
 * by family (0.8 block-structured, 0.7 VGG). {@code every_epochs > 0} also measures MSRS on a fixed
 * probe set (the first {@code probe_batches} batches) every that many epochs during training.
 */
public record MeasureConfig(Integer batches, Integer batchSize, Sampling sampling, Split split, Double beta,
                            Double gamma, Long seed, Integer everyEpochs, Integer probeBatches) {
    public MeasureConfig {
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        batches = batches == null ? d.batches : batches;
        batchSize = batchSize == null ? d.batchSize : batchSize;
        sampling = sampling == null ? d.sampling : sampling;
        split = split == null ? d.split : split;
        everyEpochs = everyEpochs == null ? d.everyEpochs : everyEpochs;
        probeBatches = probeBatches == null ? d.probeBatches : probeBatches;
    }

    public static MeasureConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Measurement settings, each starting at its default and checked as it is set. Beta, gamma and the sampling
     * seed stay null unless set: the family's (or the run's) value is used.
     */
    public static final class Builder {
        private int batches = 10;
        private int batchSize = 256;
        private Sampling sampling = Sampling.FIRST;
        private Split split = Split.TEST;
        private Double beta;
        private Double gamma;
        private Long seed;
        private int everyEpochs = 0;
        private int probeBatches = 2;

        private Builder() {
        }

        public Builder batches(int n) {
            checkBatches(n);
            batches = n;
            return this;
        }

        public Builder batchSize(int n) {
            checkBatchSize(n);
            batchSize = n;
            return this;
        }

        public Builder sampling(Sampling s) {
            sampling = java.util.Objects.requireNonNull(s, "sampling");
            return this;
        }

        public Builder split(Split s) {
            split = java.util.Objects.requireNonNull(s, "split");
            return this;
        }

        public Builder msrs(Double b, Double g) {
            checkMsrsParameters("measure.beta", b, "measure.gamma", g);
            beta = b;
            gamma = g;
            return this;
        }

        public Builder seed(Long s) {
            seed = s;
            return this;
        }

        public Builder probe(int every, int batches) {
            checkProbe(every, batches);
            everyEpochs = every;
            probeBatches = batches;
            return this;
        }

        public MeasureConfig build() {
            return new MeasureConfig(batches, batchSize, sampling, split, beta, gamma, seed, everyEpochs, probeBatches);
        }
    }

    /**
     * The MSRS parameters' ranges, the one check that YAML and every command's flags go through:
     * beta a finite number > 0, gamma strictly between 0 and 1 (a CKA threshold: at 1 or above no
     * pair can count and MSRS is 0 whatever the model; at 0 or below every pair counts). Null means
     * "the default" and passes.
     */
    public static void checkMsrsParameters(String betaName, Double beta, String gammaName, Double gamma) {
        if (beta != null && !(beta > 0 && Double.isFinite(beta))) {
            throw new RedTestException(betaName + " must be a finite number > 0, got " + beta);
        }
        if (gamma != null && !(gamma > 0 && gamma < 1)) {
            throw new RedTestException(gammaName + " must be between 0 and 1 (exclusive; a CKA threshold), got " + gamma);
        }
    }

    public MeasureConfig validate() {
        checkBatches(batches);
        checkBatchSize(batchSize);
        checkMsrsParameters("measure.beta", beta, "measure.gamma", gamma);
        checkProbe(everyEpochs, probeBatches);
        return this;
    }

    private static void checkBatches(int n) {
        if (n < 1) {
            throw new RedTestException("measure.batches must be >= 1, got " + n);
        }
    }

    private static void checkBatchSize(int n) {
        if (n < 4) {
            throw new RedTestException("measure.batch_size must be >= 4 (unbiased CKA needs 4 samples), got " + n);
        }
    }

    private static void checkProbe(int everyEpochs, int probeBatches) {
        if (everyEpochs < 0 || probeBatches < 1) {
            throw new RedTestException("measure.every_epochs must be >= 0 and measure.probe_batches >= 1");
        }
    }

    // withers: a null argument means "the default", as an absent YAML key does

    public MeasureConfig withBatches(Integer n) {
        return new MeasureConfig(n, batchSize, sampling, split, beta, gamma, seed, everyEpochs, probeBatches);
    }

    public MeasureConfig withBatchSize(Integer n) {
        return new MeasureConfig(batches, n, sampling, split, beta, gamma, seed, everyEpochs, probeBatches);
    }

    public MeasureConfig withSampling(Sampling s) {
        return new MeasureConfig(batches, batchSize, s, split, beta, gamma, seed, everyEpochs, probeBatches);
    }

    public MeasureConfig withSplit(Split s) {
        return new MeasureConfig(batches, batchSize, sampling, s, beta, gamma, seed, everyEpochs, probeBatches);
    }

    public MeasureConfig withMsrs(Double b, Double g) {
        return new MeasureConfig(batches, batchSize, sampling, split, b, g, seed, everyEpochs, probeBatches);
    }

    public MeasureConfig withSeed(Long s) {
        return new MeasureConfig(batches, batchSize, sampling, split, beta, gamma, s, everyEpochs, probeBatches);
    }
}
