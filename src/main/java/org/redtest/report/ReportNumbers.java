package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * Numbers rounded for people: the files keep full precision, the page shows what a reader can compare
 * at a glance (83.2 %, 40.8 M, 0.974). A missing value is a dash, never "NaN" or "null".
 */
final class ReportNumbers {
    static final String NONE = "—";

    private ReportNumbers() {
    }

    static boolean present(JsonNode n) {
        return n != null && n.isNumber() && Double.isFinite(n.asDouble());
    }

    /** A JSON number in the reproduction table's style: integers with separators, others to 3 significant places. */
    static String number(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return NONE;
        }
        if (!n.isNumber()) {
            return n.asText();
        }
        double v = n.asDouble();
        if (v == Math.rint(v) && Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? format("%.1f", v) : format("%.2f", v);
    }

    /** A percentage (accuracy, reduction) to one decimal. */
    static String percent(JsonNode n) {
        return present(n) ? percent(n.asDouble()) : NONE;
    }

    static String percent(double v) {
        return format("%.1f", v);
    }

    /** A count with an SI prefix: 269 k, 40.8 M, 1.23 G. */
    static String si(JsonNode n) {
        return present(n) ? si(n.asDouble()) : NONE;
    }

    static String si(double v) {
        String[] prefixes = {"", " k", " M", " G", " T"};
        int p = 0;
        while (Math.abs(v) >= 1000 && p < prefixes.length - 1) {
            v /= 1000;
            p++;
        }
        return (p == 0 ? String.valueOf(Math.round(v)) : significant(v)) + prefixes[p];
    }

    /** Three significant digits (no exponent): 0.974, 12.3, 243. */
    static String significant(double v) {
        if (!Double.isFinite(v)) {
            return NONE;
        }
        double a = Math.abs(v);
        return a >= 100 ? format("%.0f", v) : a >= 10 ? format("%.1f", v) : a >= 1 ? format("%.2f", v) : format("%.3f", v);
    }

    static String significant(JsonNode n) {
        return present(n) ? significant(n.asDouble()) : NONE;
    }

    /** Seconds shown as milliseconds, three significant digits. */
    static String millis(JsonNode seconds) {
        return present(seconds) ? significant(1000 * seconds.asDouble()) : NONE;
    }

    static String format(String pattern, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : NONE;
    }
}
