package org.redtest.config;

import org.redtest.RedTestException;

import java.util.List;

/**
 * The {@code training} section: SGD with momentum, L2 weight decay and a multi-step learning-rate
 * schedule. Defaults are the paper's recipe (docs/method.md, "Training recipe").
 */
public record TrainingConfig(Integer epochs, Integer batchSize, Double learningRate, Double momentum,
                             Double weightDecay, List<Integer> lrMilestones, Double lrGamma,
                             Integer evalBatchSize) {
    public TrainingConfig {
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        epochs = epochs == null ? d.epochs : epochs;
        batchSize = batchSize == null ? d.batchSize : batchSize;
        learningRate = learningRate == null ? d.learningRate : learningRate;
        momentum = momentum == null ? d.momentum : momentum;
        weightDecay = weightDecay == null ? d.weightDecay : weightDecay;
        lrMilestones = lrMilestones == null ? d.lrMilestones : List.copyOf(lrMilestones);
        lrGamma = lrGamma == null ? d.lrGamma : lrGamma;
        evalBatchSize = evalBatchSize == null ? d.evalBatchSize : evalBatchSize;
    }

    /** The paper's recipe. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public TrainingConfig validate() {
        positive("training.epochs", epochs);
        positive("training.batch_size", batchSize);
        positive("training.eval_batch_size", evalBatchSize);
        checkLearningRate(learningRate);
        checkMomentum(momentum);
        checkWeightDecay(weightDecay);
        checkGamma(lrGamma);
        checkMilestones(lrMilestones);
        return this;
    }

    /** A recipe, each setting starting at the paper's value and checked as it is set. */
    public static final class Builder {
        private int epochs = 150;
        private int batchSize = 256;
        private double learningRate = 0.01;
        private double momentum = 0.9;
        private double weightDecay = 0.005;
        private List<Integer> lrMilestones = List.of(50, 100);
        private double lrGamma = 0.1;
        private int evalBatchSize = 256;

        private Builder() {
        }

        public Builder epochs(int n) {
            positive("training.epochs", n);
            epochs = n;
            return this;
        }

        public Builder batchSize(int n) {
            positive("training.batch_size", n);
            batchSize = n;
            return this;
        }

        public Builder learningRate(double lr) {
            checkLearningRate(lr);
            learningRate = lr;
            return this;
        }

        public Builder momentum(double m) {
            checkMomentum(m);
            momentum = m;
            return this;
        }

        public Builder weightDecay(double wd) {
            checkWeightDecay(wd);
            weightDecay = wd;
            return this;
        }

        public Builder lrMilestones(List<Integer> epochs) {
            checkMilestones(epochs);
            lrMilestones = List.copyOf(epochs);
            return this;
        }

        public Builder lrGamma(double gamma) {
            checkGamma(gamma);
            lrGamma = gamma;
            return this;
        }

        public Builder evalBatchSize(int n) {
            positive("training.eval_batch_size", n);
            evalBatchSize = n;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, momentum, weightDecay, lrMilestones, lrGamma,
                    evalBatchSize);
        }
    }

    // withers: a null argument means "the default", as an absent YAML key does

    public TrainingConfig withEpochs(Integer n) {
        return new TrainingConfig(n, batchSize, learningRate, momentum, weightDecay, lrMilestones, lrGamma, evalBatchSize);
    }

    public TrainingConfig withBatchSize(Integer n) {
        return new TrainingConfig(epochs, n, learningRate, momentum, weightDecay, lrMilestones, lrGamma, evalBatchSize);
    }

    public TrainingConfig withLearningRate(Double lr) {
        return new TrainingConfig(epochs, batchSize, lr, momentum, weightDecay, lrMilestones, lrGamma, evalBatchSize);
    }

    public TrainingConfig withMomentum(Double m) {
        return new TrainingConfig(epochs, batchSize, learningRate, m, weightDecay, lrMilestones, lrGamma, evalBatchSize);
    }

    public TrainingConfig withWeightDecay(Double wd) {
        return new TrainingConfig(epochs, batchSize, learningRate, momentum, wd, lrMilestones, lrGamma, evalBatchSize);
    }

    public TrainingConfig withEvalBatchSize(Integer n) {
        return new TrainingConfig(epochs, batchSize, learningRate, momentum, weightDecay, lrMilestones, lrGamma, n);
    }

    public TrainingConfig withLrMilestones(List<Integer> epochs) {
        return new TrainingConfig(this.epochs, batchSize, learningRate, momentum, weightDecay, epochs, lrGamma, evalBatchSize);
    }

    /** The learning rate in force during (0-based) {@code epoch}. */
    public double learningRateAt(int epoch) {
        double lr = learningRate;
        for (int m : lrMilestones) {
            if (epoch >= m) {
                lr *= lrGamma;
            }
        }
        return lr;
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new RedTestException(key + " must be >= 1, got " + value);
        }
    }

    private static void checkLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new RedTestException("training.learning_rate must be > 0, got " + lr);
        }
    }

    private static void checkMomentum(double m) {
        if (m < 0 || m >= 1) {
            throw new RedTestException("training.momentum must be in [0, 1), got " + m);
        }
    }

    private static void checkWeightDecay(double wd) {
        if (wd < 0) {
            throw new RedTestException("training.weight_decay must be >= 0, got " + wd);
        }
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0)) {
            throw new RedTestException("training.lr_gamma must be > 0, got " + gamma);
        }
    }

    private static void checkMilestones(List<Integer> milestones) {
        int previous = 0;
        for (Integer m : milestones) {
            if (m == null || m <= previous) {
                throw new RedTestException("training.lr_milestones must be increasing positive epochs, got " + milestones);
            }
            previous = m;
        }
    }
}
