package org.redtest.console;

import java.util.Locale;

/** The words and numbers of a progress line: rates, durations and the line itself. */
public final class ProgressFormat {
    private ProgressFormat() {
    }

    /**
     * {@code "0.3 batch/s"}, {@code "12.5 img/s"}, {@code "351 img/s"}; below 0.1 per second the
     * time per unit instead ({@code "8.3 min/cand"}), since "0.0 cand/s" says nothing.
     */
    public static String rate(double perSecond, String unit) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f %s/s", perSecond, unit);
        }
        if (perSecond >= 0.1) {
            return String.format(Locale.ROOT, "%.1f %s/s", perSecond, unit);
        }
        double seconds = 1 / perSecond;
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s/%s", seconds, unit);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.1f min/%s", seconds / 60, unit);
        }
        return String.format(Locale.ROOT, "%.1f h/%s", seconds / 3600, unit);
    }

    /** {@code H:MM:SS}, as a clock shows elapsed time. */
    public static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /**
     * One plain line about a bar: while running {@code "task: 24/60 img (40%), 3.5 img/s, elapsed
     * 0:00:07, ETA 0:00:10 | loss 0.41"}, at the end {@code "task: 60/60 img in 0:00:17, 3.5 img/s"}
     * or {@code "task: stopped at 24/60 img (40%) after 0:00:07, ..."}. The rate and ETA are left
     * out while nothing is done yet, rather than shown as "?".
     */
    public static String line(String task, long done, long total, String unit, double elapsedSeconds,
                              boolean finished, String extra) {
        StringBuilder sb = new StringBuilder(task).append(": ");
        String counts = done + "/" + total + " " + unit;
        String percent = total > 0 ? " (" + Math.min(100, done * 100 / total) + "%)" : "";
        boolean complete = done >= total;
        if (finished && complete) {
            sb.append(counts).append(" in ").append(clock(elapsedSeconds));
        } else if (finished) {
            sb.append("stopped at ").append(counts).append(percent).append(" after ").append(clock(elapsedSeconds));
        } else {
            sb.append(counts).append(percent);
        }
        double perSecond = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        if (perSecond > 0) {
            sb.append(", ").append(rate(perSecond, unit));
            if (!finished) {
                sb.append(", elapsed ").append(clock(elapsedSeconds))
                        .append(", ETA ").append(clock((total - done) / perSecond));
            }
        }
        if (extra != null && !extra.isBlank()) {
            sb.append(" | ").append(extra.strip());
        }
        return sb.toString();
    }
}
