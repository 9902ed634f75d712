package org.redtest.reproduce;

/**
 * One line of the reproduction table: what is compared, the paper's number (null when the paper states a
 * claim rather than a number), ours (a mean when repeated over seeds, with its standard deviation as
 * {@code spread}; null for one run), and the verdict against a stated tolerance or claim.
 */
public record ReproductionRow(String section, String item, Double paper, Double ours, Double spread, String unit,
                              String criterion, Verdict verdict) {
    public enum Verdict {
        PASS, FAIL,
        /** Shown for context, not judged: e.g. an accuracy on other data than the paper's. */
        INFO
    }

    /** Ours minus the paper's, when both are numbers. */
    public Double difference() {
        return paper == null || ours == null || !Double.isFinite(ours) ? null : ours - paper;
    }

    /** A row judged by {@code |ours - paper| <= tolerance}. */
    public static ReproductionRow within(String section, String item, double paper, double ours, String unit, double tolerance) {
        return new ReproductionRow(section, item, paper, ours, null, unit, "|ours - paper| <= " + trim(tolerance),
                Double.isFinite(ours) && Math.abs(ours - paper) <= tolerance + 1e-9 ? Verdict.PASS : Verdict.FAIL);
    }

    /** A row judged by a qualitative claim that {@code holds} or not. */
    public static ReproductionRow claim(String section, String item, Double paper, double ours, String unit,
                                        String claim, boolean holds) {
        return new ReproductionRow(section, item, paper, ours, null, unit, claim, holds ? Verdict.PASS : Verdict.FAIL);
    }

    public static ReproductionRow info(String section, String item, Double paper, double ours, String unit, String why) {
        return new ReproductionRow(section, item, paper, ours, null, unit, why, Verdict.INFO);
    }

    /** A part of the suite that did not run to the end (a crash, an error): no number, judged FAIL. */
    public static ReproductionRow unfinished(String section, String item) {
        return new ReproductionRow(section, item, null, null, null, "", "the part runs to the end", Verdict.FAIL);
    }

    /** This row with the standard deviation of {@code ours} over repeated runs (shown only when above one run). */
    public ReproductionRow withSpread(double standardDeviation, int runs) {
        return runs > 1 ? new ReproductionRow(section, item, paper, ours, standardDeviation, unit, criterion, verdict) : this;
    }

    static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
