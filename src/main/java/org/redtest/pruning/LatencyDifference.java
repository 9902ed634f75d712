package org.redtest.pruning;

/**
 * Whether a latency reduction is a result or noise. Batch-1 timings on a shared CPU swing by more than a small
 * model's difference, so a reduction counts only when it exceeds its spread AND the pruned model was faster (or,
 * for a negative reduction, slower) in every timing round: with 7 rounds, agreement by chance has probability
 * 2 / 2^7 = 1.6 %. Files from before the rounds were kept ({@code rounds} 0) are judged on the spread alone.
 *
 * @param reductionPct the reduction of the medians, in percent
 * @param spreadPct    its spread, in points
 * @param fasterRounds rounds in which the pruned model was faster than the original
 * @param rounds       timing rounds (0: not recorded)
 */
public record LatencyDifference(double reductionPct, double spreadPct, int fasterRounds, int rounds) {
    /** What a reduction that is not a result reads as beside its value. */
    public static final String NOT_SIGNIFICANT = "not significant";

    /** Rounds paired by index: round r of the original against round r of the pruned model (timed back to back). */
    public static int fasterRounds(double[] originalRounds, double[] prunedRounds) {
        int faster = 0;
        for (int r = 0; r < Math.min(originalRounds.length, prunedRounds.length); r++) {
            if (prunedRounds[r] < originalRounds[r]) {
                faster++;
            }
        }
        return faster;
    }

    public boolean roundsAgree() {
        return rounds == 0 || fasterRounds == rounds || fasterRounds == 0;
    }

    public boolean significant() {
        return Double.isFinite(reductionPct) && Double.isFinite(spreadPct) && Math.abs(reductionPct) > spreadPct
                && roundsAgree() && (rounds == 0 || (fasterRounds == rounds) == (reductionPct > 0));
    }

    /** "26 ± 10", or "2 ± 10 (not significant)", or "n/a" when untimed. */
    public String describe() {
        return mark(" (" + NOT_SIGNIFICANT + ")");
    }

    /** "26 ± 10", or "2 ± 10 n.s." for a narrow console column. */
    public String describeShort() {
        return mark(" n.s.");
    }

    private String mark(String notSignificant) {
        String value = Rounding.withSpread(reductionPct, spreadPct);
        return !Double.isFinite(reductionPct) || significant() ? value : value + notSignificant;
    }

    /** Why it is not significant (for the console's notes); empty when it is. */
    public String reason() {
        if (significant() || !Double.isFinite(reductionPct)) {
            return "";
        }
        return rounds > 0 && !roundsAgree() ? "faster in " + fasterRounds + " of " + rounds + " timing rounds"
                : "the spread reaches the value";
    }
}
