package org.redtest.training;

/** Accuracy of a model on a data split: top-1 and top-5 in percent, mean cross-entropy loss. */
public record EvaluationResult(int samples, double top1, double top5, double loss, double seconds) {
}
