package org.redtest.training;

/**
 * One completed training epoch: what the trainer measured, as the epoch log, the results database and the
 * training curves keep it. Epochs count from 1; accuracies are percentages, losses cross-entropy in nats.
 */
public record EpochRecord(int epoch, double learningRate, double trainLoss, double testTop1, double testTop5,
                          double testLoss, double seconds, double imagesPerSecond) {
}
