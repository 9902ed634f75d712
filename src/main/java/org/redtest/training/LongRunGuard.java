package org.redtest.training;

/**
 * Refuses to start a CPU training run estimated to take over an hour unless the user confirmed it
 * (--yes): a default 150-epoch recipe on a CPU runs for hours, and should not start by accident.
 * Runs already started (resumes) and GPU runs are not held up; tiny runs skip the estimate, whose
 * few timed steps would cost more than the run itself.
 */
public record LongRunGuard(boolean active, boolean confirmed, String howToShorten) {
    public static final double LIMIT_SECONDS = 3600;
    /** No check, for callers that are not a person at a command line (tests, the reproduction suite). */
    public static final LongRunGuard OFF = new LongRunGuard(false, true, "");

    /** @param howToShorten what the user can change instead, e.g. {@code "fewer --epochs"} */
    public static LongRunGuard forCommand(boolean confirmed, String howToShorten) {
        return new LongRunGuard(true, confirmed, howToShorten);
    }

    public record Decision(boolean proceed, String message) {
    }

    /** Whether a run needs an estimate at all. */
    public boolean needsEstimate(boolean cpuBackend, boolean alreadyStarted, long totalImages, long probeImages) {
        return active && cpuBackend && !alreadyStarted && totalImages > probeImages;
    }

    public Decision decide(TrainingEstimate estimate) {
        double seconds = estimate.seconds();
        String time = TrainingEstimate.roughly(seconds);
        if (seconds <= LIMIT_SECONDS) {
            return new Decision(true, "estimated training time " + time + " (" + estimate.describe() + " on this CPU)");
        }
        if (confirmed) {
            return new Decision(true, "estimated training time " + time + " (" + estimate.describe()
                    + " on this CPU); starting, as --yes asks");
        }
        return new Decision(false, "this training is estimated to take " + time + " on this CPU (" + estimate.describe()
                + "); give --yes to start it anyway, or " + howToShorten);
    }
}
