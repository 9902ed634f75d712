package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.RedTestException;
import org.redtest.pruning.PrunedStructure;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.similarity.CkaMatrix;
import org.redtest.zoo.ModelSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CKA heatmap of one pruned model, its units under their ORIGINAL names (the pruned model's unit
 * k is the original's k-th kept unit), so that no name reported as dropped appears on it. Pruning
 * writes such files itself (their JSON keeps the rebuilt names in {@code model_units}); files from
 * before that are redrawn from their JSON with the names mapped.
 */
record PrunedHeatmap(byte[] png, List<String> units, List<String> dropped) {

    /**
     * @param dir      the pruned model's directory (prune-METHOD-CRITERION)
     * @param original the original model's spec
     * @param method   the pruning method, for the title of a redrawn heatmap
     * @param dropped  the original units the method dropped
     */
    static Optional<PrunedHeatmap> of(Path dir, String original, String method, List<String> dropped) {
        Path png = dir.resolve("measure-cka.png");
        Optional<JsonNode> json = ReportFiles.json(dir.resolve("measure-msrs.json"));
        if (json.isEmpty()) {
            return Optional.empty(); // without the unit list, a heatmap's labels cannot be vouched for
        }
        JsonNode j = json.get();
        List<String> units = strings(j.path("units"));
        if (j.has("model_units") && Files.isRegularFile(png)) {
            return Optional.of(new PrunedHeatmap(ReportFiles.bytes(png), units, dropped));
        }
        List<String> originalNames;
        try {
            originalNames = PrunedStructure.of(ModelSpec.parse(original), dropped).originalUnitNames(units);
        } catch (RuntimeException e) {
            return Optional.empty(); // an unknown spec or a plan that does not fit it: no figure rather than a wrong one
        }
        String title = String.format("%s pruned by %s (%s) on %s %s: MSRS %s +- %s (gamma %s)", original, method,
                j.path("model").asText(), j.path("dataset").asText(), j.path("split").asText(),
                ReportNumbers.format("%.2f", j.at("/msrs/mean").asDouble(Double.NaN)),
                ReportNumbers.format("%.2f", j.at("/msrs/std").asDouble(Double.NaN)), j.path("gamma").asText());
        return Optional.of(new PrunedHeatmap(draw(originalNames, matrix(j.path("cka")), j.path("batch_size").asInt(), title),
                originalNames, dropped));
    }

    private static byte[] draw(List<String> units, double[][] cka, int n, String title) {
        try {
            Path tmp = Files.createTempFile("redtest-heatmap", ".png");
            try {
                CkaHeatmap.write(new CkaMatrix(units, cka, List.of(), n), title, tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RedTestException("cannot draw the heatmap of a pruned model: " + e.getMessage(), e);
        }
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
