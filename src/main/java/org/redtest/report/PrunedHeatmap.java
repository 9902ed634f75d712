package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.pruning.PrunedStructure;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.similarity.CkaMatrix;
import org.redtest.zoo.ModelSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The two heatmaps of one pruning method, drawn from the measurements' JSON so that they line up: the original's
 * with the units the method dropped marked, and the pruned model's on the original's grid, its units under their
 * ORIGINAL names (the pruned model's unit k is the original's k-th kept unit) and the dropped units left as blank
 * rows and columns. Files from before pruning recorded the original names ({@code model_units}) have them mapped
 * from the pruned structure.
 */
record PrunedHeatmap(byte[] png, List<String> units, List<String> dropped) {

    /** The original's map with {@code dropped} outlined in red; empty without a measurement of the original. */
    static Optional<byte[]> before(JsonNode measure, String method, List<String> dropped) {
        if (measure == null || !measure.path("units").isArray()) {
            return Optional.empty();
        }
        List<String> units = strings(measure.path("units"));
        String title = String.format("%s before pruning: MSRS %s (gamma %s); red: dropped by %s", measure.path("model").asText(),
                ReportNumbers.format("%.2f", measure.at("/msrs/mean").asDouble(Double.NaN)), measure.path("gamma").asText(), method);
        return Optional.of(CkaHeatmap.png(new CkaMatrix(units, matrix(measure.path("cka")), List.of(), measure.path("batch_size").asInt()),
                title, new CkaHeatmap.Marks(gamma(measure), Set.copyOf(dropped), Set.of(), null)));
    }

    /**
     * @param pruned         the pruned model's measure-msrs.json
     * @param original       the original model's spec
     * @param method         the pruning method, for the title
     * @param dropped        the original units the method dropped
     * @param originalUnits  the original's units in order (empty: unknown, the map is drawn without gaps)
     */
    static Optional<PrunedHeatmap> of(JsonNode pruned, String original, String method, List<String> dropped,
                                      List<String> originalUnits) {
        if (pruned == null || !pruned.path("units").isArray()) {
            return Optional.empty(); // without the unit list, a heatmap's labels cannot be vouched for
        }
        List<String> recorded = strings(pruned.path("units"));
        List<String> names;
        if (pruned.has("model_units")) {
            names = recorded;
        } else {
            try {
                names = PrunedStructure.of(ModelSpec.parse(original), dropped).originalUnitNames(recorded);
            } catch (RuntimeException e) {
                return Optional.empty(); // an unknown spec or a plan that does not fit it: no figure rather than a wrong one
            }
        }
        List<String> grid = originalUnits.containsAll(names) && !originalUnits.isEmpty() ? originalUnits : names;
        CkaMatrix placed = new CkaMatrix(names, matrix(pruned.path("cka")), List.of(), pruned.path("batch_size").asInt())
                .onGrid(grid);
        Set<String> gaps = new HashSet<>(grid);
        gaps.removeAll(names);
        String title = String.format("%s pruned by %s (%s): MSRS %s (gamma %s); blank: dropped units", original, method,
                pruned.path("model").asText(), ReportNumbers.format("%.2f", pruned.at("/msrs/mean").asDouble(Double.NaN)),
                pruned.path("gamma").asText());
        byte[] png = CkaHeatmap.png(placed, title,
                new CkaHeatmap.Marks(gamma(pruned), Set.of(), gaps, null));
        return Optional.of(new PrunedHeatmap(png, names, dropped));
    }

    private static Double gamma(JsonNode measure) {
        return measure.path("gamma").isNumber() ? measure.path("gamma").asDouble() : null;
    }

    /** JSON null (an undefined CKA, from a constant layer) reads as NaN, drawn grey. */
    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            m[i] = new double[row.size()];
            for (int k = 0; k < row.size(); k++) {
                m[i][k] = row.get(k).isNumber() ? row.get(k).asDouble() : Double.NaN;
            }
        }
        return m;
    }

    /** "units stem, s1.b1, s1.b3 (dropped s1.b2)": what the heatmap's axes show and what is missing. */
    String unitsCaption() {
        return "units " + String.join(", ", units) + " (dropped " + (dropped.isEmpty() ? "none" : String.join(", ", dropped)) + ")";
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("unit").asText() : n.asText()));
        return out;
    }
}
