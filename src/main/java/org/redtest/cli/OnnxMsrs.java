package org.redtest.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;
import org.redtest.onnx.ImportedMeasurement;
import org.redtest.onnx.ModelImages;
import org.redtest.onnx.OnnxCapture;
import org.redtest.onnx.OnnxModel;
import org.redtest.onnx.OnnxUnits;
import org.redtest.onnx.UnitChoice;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.Msrs;
import org.redtest.similarity.MsrsSummary;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code msrs --onnx}: an imported model measured as ours are, with heatmap, JSON and a database row. */
final class OnnxMsrs {
    private OnnxMsrs() {
    }

    /** What {@code --units} says: auto, list, or names. */
    static UnitChoice choose(OnnxModel model, String units, Map<String, long[]> candidateShapes) {
        if (units.equals("auto")) {
            return OnnxUnits.auto(model, candidateShapes);
        }
        return OnnxUnits.named(model, Arrays.stream(units.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    static Map<String, long[]> candidateShapes(OnnxModel model) {
        return OnnxCapture.shapes(model, OnnxUnits.candidates(model));
    }

    /** {@code --units list}: the candidate tensors with their shapes for one image. */
    static void list(OnnxModel model, PrintWriter out) {
        Map<String, long[]> shapes = candidateShapes(model);
        out.printf("%d candidate units of %s (input %s %s):%n", shapes.size(), model.file(), model.input().name(),
                model.input().shapeText());
        shapes.forEach((name, shape) -> out.println("  " + name + "  " + Arrays.toString(shape)));
    }

    /** {@code known}: shapes already probed (auto's candidates); the units' own are probed when missing. */
    static void measure(OnnxModel model, UnitChoice units, Map<String, long[]> known, ModelImagesOption.Images images,
                        int batches, int batchSize, Double beta, Double gamma, Path outDir, Path plot, Path dbPath,
                        boolean json, PrintWriter out) {
        Map<String, long[]> shapes = known.keySet().containsAll(units.tensors()) ? known
                : OnnxCapture.shapes(model, units.tensors());
        List<INDArray> cut = ModelImages.batches(images.values(), batches, batchSize);
        double b = beta != null ? beta : Msrs.DEFAULT_BETA;
        double g = gamma != null ? gamma : units.gamma() != null ? units.gamma() : 0.8;
        ImportedMeasurement m = ImportedMeasurement.run(model, units, shapes, cut, images.name(), b, g);
        Map<String, Object> content = toJson(m);
        Path png = plot != null ? plot : outDir.resolve("msrs-cka.png");
        Path jsonFile = outDir.resolve(org.redtest.measure.MeasurementReport.jsonName("msrs"));
        MsrsSummary s = m.summary();
        CkaHeatmap.write(new CkaMatrix(s.units(), s.meanCka(), List.of(), m.batchSize()),
                String.format("%s on %s: MSRS %.2f +- %.2f (gamma %s)", model.file().getFileName(), images.name(),
                        s.mean(), s.std(), s.gamma()), CkaHeatmap.Marks.threshold(s.gamma()), png);
        try {
            Files.createDirectories(outDir);
            AtomicFiles.write(jsonFile, o -> Console.JSON.writeValue(o, content));
        } catch (IOException e) {
            throw new RedTestException("cannot write " + jsonFile + ": " + e.getMessage(), e);
        }
        try (ResultsDatabase db = ResultsDatabase.open(dbPath)) {
            new MeasurementTable(db).insert(new MeasurementTable.Row(
                    new MeasurementTable.Source(null, MeasurementOrigin.AD_HOC, null, model.file().toAbsolutePath().toString()),
                    new MeasurementTable.Model(m.modelSpec(), "onnx", s.units().size()),
                    new MeasurementTable.Probe(images.name(), "given", s.batches(), m.batchSize(), "first", 0),
                    new MeasurementTable.MsrsValues(s.beta(), s.gamma(), s.mean(), s.std(), s.nanBatchesDropped(), s.perBatch()),
                    new MeasurementTable.CkaValues(s.units(), s.meanCka(), s.adjacent()),
                    null, m.seconds(), SoftwareVersions.json()));
            if (json) {
                out.println(Console.json(content));
            } else {
                out.println(m.describe());
                out.println("most removable by adjacent CKA: " + ranking(s).stream().limit(5)
                        .map(r -> String.format("%s(%.2f)", r.get("unit"), (Double) r.get("adjacent_cka"))).toList());
                out.println("CKA heatmap: " + png + ", JSON: " + jsonFile);
                out.println("recorded in " + db.file() + " as an ad-hoc measurement of " + m.modelSpec());
            }
        }
    }

    static Map<String, Object> toJson(ImportedMeasurement m) {
        MsrsSummary s = m.summary();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.model().file().toString());
        out.put("sha256", m.model().sha256());
        out.put("input", m.model().input().shapeText());
        out.put("unit_rule", m.units().rule());
        out.put("images", m.images());
        out.put("batches", s.batches());
        out.put("batch_size", m.batchSize());
        out.put("units", s.units());
        out.put("cka", JsonNumbers.nanToNull(s.meanCka()));
        Map<String, Object> msrs = new LinkedHashMap<>();
        msrs.put("mean", JsonNumbers.nanToNull(s.mean()));
        msrs.put("std", JsonNumbers.nanToNull(s.std()));
        msrs.put("per_batch", JsonNumbers.nanToNull(s.perBatch()));
        msrs.put("nan_batches_dropped", s.nanBatchesDropped());
        msrs.put("nan_sources", s.nanSources());
        out.put("msrs", msrs);
        out.put("beta", s.beta());
        out.put("gamma", s.gamma());
        out.put("ranking", ranking(s));
        out.put("seconds", m.seconds());
        return out;
    }

    /**
     * Units by their CKA with the next unit, highest first: the order in which CKA-guided pruning would drop them
     * (the last unit is always kept, so it is not ranked).
     */
    static List<Map<String, Object>> ranking(MsrsSummary s) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int k = 0; k < s.adjacent().length; k++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("unit", s.units().get(k));
            r.put("next", s.units().get(k + 1));
            r.put("adjacent_cka", JsonNumbers.nanToNull(s.adjacent()[k]));
            rows.add(r);
        }
        rows.sort(Comparator.comparingDouble((Map<String, Object> r) ->
                r.get("adjacent_cka") == null ? Double.NEGATIVE_INFINITY : (Double) r.get("adjacent_cka")).reversed());
        return rows;
    }
}
