package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.onnx.ModelComparison;
import org.redtest.onnx.ModelImages;
import org.redtest.onnx.OnnxModel;
import org.redtest.onnx.OnnxUnits;
import org.redtest.onnx.UnitChoice;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.storage.ComparisonTable;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.ResultsDatabase;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code similarity MODEL --against MODEL}: the rectangular CKA matrix as a heatmap, JSON and a database row. */
final class ModelComparisonRun {
    private ModelComparisonRun() {
    }

    static void run(Path firstFile, Path againstFile, ModelImagesOption imagesOption, RunDataOption data, int batches,
                    int batchSize, Path plot, Path dbPath, boolean json, PrintWriter out) {
        OnnxModel first = ModelFiles.open(firstFile);
        OnnxModel against = ModelFiles.open(againstFile);
        if (!first.input().shapeText().equals(against.input().shapeText())) {
            throw new RedTestException(firstFile + " takes " + first.input().shapeText() + " images but " + againstFile
                    + " takes " + against.input().shapeText() + "; both must run on the same images");
        }
        UnitChoice a = OnnxUnits.auto(first, OnnxMsrs.candidateShapes(first));
        UnitChoice b = OnnxUnits.auto(against, OnnxMsrs.candidateShapes(against));
        ModelImagesOption.Images images = imagesOption.load(data.dataset, data.dataDir, first.input(),
                (long) batches * batchSize);
        ModelComparison c = ModelComparison.run(first, a, against, b, ModelImages.batches(images.values(), batches, batchSize),
                images.name());
        String firstName = firstFile.toString();
        String againstName = againstFile.toString();
        CkaHeatmap.writeCross(a.tensors(), b.tensors(), c.cka(), "CKA between units on " + images.name(), firstName,
                againstName, plot);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("first", Map.of("model", firstName, "sha256", first.sha256(), "units", a.tensors()));
        result.put("against", Map.of("model", againstName, "sha256", against.sha256(), "units", b.tensors()));
        result.put("images", images.name());
        result.put("batches", c.batches());
        result.put("batch_size", c.batchSize());
        result.put("cka", JsonNumbers.nanToNull(c.cka()));
        result.put("plot", plot.toString());
        try (ResultsDatabase db = ResultsDatabase.open(dbPath)) {
            new ComparisonTable(db).insert(new ComparisonTable.Side(firstName, first.sha256(), a.tensors()),
                    new ComparisonTable.Side(againstName, against.sha256(), b.tensors()), images.name(), c.batches(),
                    c.batchSize(), c.cka(), SoftwareVersions.json());
            if (json) {
                out.println(Console.json(result));
            } else {
                out.printf("CKA of %d units of %s against %d units of %s on %d batch(es) of %d images (%s)%n",
                        a.tensors().size(), firstName, b.tensors().size(), againstName, c.batches(), c.batchSize(), images.name());
                for (int i = 0; i < a.tensors().size(); i++) {
                    int best = 0;
                    for (int j = 1; j < b.tensors().size(); j++) {
                        if (c.cka()[i][j] > c.cka()[i][best]) {
                            best = j;
                        }
                    }
                    out.printf("  %s: closest %s (%.3f)%n", a.tensors().get(i), b.tensors().get(best), c.cka()[i][best]);
                }
                out.println("CKA heatmap: " + plot + "; recorded in " + db.file());
            }
        }
    }
}
