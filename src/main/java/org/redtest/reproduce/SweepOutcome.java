package org.redtest.reproduce;

/** One depth model from a sweep engine: trained, or failed every attempt with the last error. */
public record SweepOutcome(String model, TrainedDepthModel trained, int attempts, String error) {
    public static SweepOutcome done(TrainedDepthModel trained) {
        return new SweepOutcome(trained.model(), trained, trained.attempts(), null);
    }

    public static SweepOutcome failed(String model, int attempts, String error) {
        return new SweepOutcome(model, null, attempts, error);
    }

    public boolean succeeded() {
        return trained != null;
    }
}
