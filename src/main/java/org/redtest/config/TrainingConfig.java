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
        epochs = epochs == null ? 150 : epochs;
        batchSize = batchSize == null ? 256 : batchSize;
        learningRate = learningRate == null ? 0.01 : learningRate;
        momentum = momentum == null ? 0.9 : momentum;
        weightDecay = weightDecay == null ? 0.005 : weightDecay;
        lrMilestones = lrMilestones == null ? List.of(50, 100) : List.copyOf(lrMilestones);
        lrGamma = lrGamma == null ? 0.1 : lrGamma;
        evalBatchSize = evalBatchSize == null ? 256 : evalBatchSize;
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(null, null, null, null, null, null, null, null);
    }

    public TrainingConfig validate() {
        positive("training.epochs", epochs);
        positive("training.batch_size", batchSize);
        positive("training.eval_batch_size", evalBatchSize);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new RedTestException("training.learning_rate must be > 0, got " + learningRate);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new RedTestException("training.momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new RedTestException("training.weight_decay must be >= 0, got " + weightDecay);
        }
        if (!(lrGamma > 0)) {
            throw new RedTestException("training.lr_gamma must be > 0, got " + lrGamma);
        }
        int previous = 0;
        for (Integer m : lrMilestones) {
            if (m == null || m <= previous) {
                throw new RedTestException("training.lr_milestones must be increasing positive epochs, got " + lrMilestones);
            }
            previous = m;
        }
        return this;
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
}
