package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.measure.ExpectedMsrsFit;
import org.redtest.storage.MeasurementTable.DepthPoint;

import java.util.List;
import java.util.Optional;

/**
 * One line that says what a model's MSRS means: against what its depth predicts when the results
 * database holds enough models of its family and data for an expected-MSRS fit (docs/method.md),
 * otherwise what the number counts.
 */
final class MsrsReading {
    /**
     * Within this many percent of the expected value a model reads as "about as redundant as its depth
     * predicts": one model's MSRS already moves by several percent between measurement batches.
     */
    static final double ABOUT_AS_EXPECTED_PCT = 15;

    private MsrsReading() {
    }

    /** @param measure a measure-msrs.json; {@code points} the database's latest MSRS of each model (may be empty) */
    static String of(JsonNode measure, List<DepthPoint> points) {
        double msrs = measure.at("/msrs/mean").asDouble(Double.NaN);
        if (!Double.isFinite(msrs)) {
            return "MSRS undefined: every measurement batch gave NaN (a constant layer; see the measurement section).";
        }
        int depth = measure.path("depth").asInt();
        Optional<String> expected = expected(measure, points, msrs, depth);
        if (expected.isPresent()) {
            return expected.get();
        }
        int units = measure.path("units").size();
        int pairs = units * (units - 1) / 2;
        return String.format("About %s of the %d pairs of its %d units compute nearly the same representation (CKA above %s); "
                        + "0 would mean no two units alike. No expected value: the results database holds fewer than two "
                        + "depths of %s models on %s.", ReportNumbers.significant(msrs), pairs, units,
                measure.path("gamma").asText(), measure.path("family").asText(), measure.path("dataset").asText());
    }

    private static Optional<String> expected(JsonNode measure, List<DepthPoint> points, double msrs, int depth) {
        String family = measure.path("family").asText();
        String dataset = measure.path("dataset").asText();
        double gamma = measure.path("gamma").asDouble();
        Optional<ExpectedMsrsFit.Group> group = ExpectedMsrsFit.fit(points).stream()
                .filter(g -> g.family().equals(family) && g.dataset().equals(dataset) && Math.abs(g.gamma() - gamma) < 1e-9)
                .filter(g -> g.linear() != null).findFirst();
        if (group.isEmpty()) {
            return Optional.empty();
        }
        ExpectedMsrsFit.Group g = group.get();
        // the number of unit pairs grows with the square of depth: the quadratic curve where there are depths enough
        boolean quadratic = g.quadratic() != null;
        double value = ExpectedMsrsFit.evaluate(quadratic ? g.quadratic() : g.linear(), depth);
        int min = g.points().stream().mapToInt(DepthPoint::depth).min().orElse(depth);
        int max = g.points().stream().mapToInt(DepthPoint::depth).max().orElse(depth);
        String basis = String.format("%s fit over %d %s models on %s, depths %d to %d%s", quadratic ? "quadratic" : "linear",
                g.points().size(), family, dataset, min, max, depth < min || depth > max ? ", extrapolated" : "");
        if (value <= 1) {
            return Optional.of(String.format("Its depth (%d) predicts an MSRS of about %s (%s): too small to compare with.",
                    depth, ReportNumbers.significant(Math.max(0, value)), basis));
        }
        double pct = 100 * (msrs - value) / value;
        String reading = Math.abs(pct) <= ABOUT_AS_EXPECTED_PCT ? "about as redundant as its depth predicts"
                : pct > 0 ? "more redundant than its depth predicts" : "less redundant than its depth predicts";
        return Optional.of(String.format("Its depth (%d) predicts %s (%s): %s %% %s, %s.", depth,
                ReportNumbers.significant(value), basis, ReportNumbers.format("%.0f", Math.abs(pct)),
                pct >= 0 ? "above" : "below", reading));
    }
}
