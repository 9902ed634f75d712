package org.redtest.measure;

import org.redtest.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.RedTestException;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.MsrsSummary;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a measurement goes: a CKA heatmap PNG, a JSON file and a row in the results database. */
public final class MeasurementReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MeasurementReport() {
    }

    public static Map<String, Object> toJson(Measurement m, MeasurementOrigin origin) {
        return toJson(m, origin, m.summary().units());
    }

    /**
     * The measurement with its units named {@code units} (same order); when these differ from the
     * model's own names (a pruned model shown under the original's names) the latter are kept in
     * {@code model_units}.
     */
    public static Map<String, Object> toJson(Measurement m, MeasurementOrigin origin, List<String> units) {
        MsrsSummary s = m.summary();
        if (units.size() != s.units().size()) {
            throw new IllegalArgumentException(units.size() + " unit names for " + s.units().size() + " units");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("origin", origin.column());
        out.put("model", m.architecture().spec());
        out.put("family", m.architecture().family().name().toLowerCase());
        out.put("depth", m.architecture().depth());
        out.put("dataset", m.dataset());
        out.put("split", m.split());
        out.put("checkpoint", m.checkpoint());
        out.put("epoch", m.epoch());
        out.put("batches", s.batches());
        out.put("batch_size", m.settings().batchSize());
        out.put("sampling", m.settings().sampling().word());
        out.put("beta", s.beta());
        out.put("gamma", s.gamma());
        Map<String, Object> msrs = new LinkedHashMap<>();
        msrs.put("mean", JsonNumbers.nanToNull(s.mean()));
        msrs.put("std", JsonNumbers.nanToNull(s.std()));
        msrs.put("per_batch", JsonNumbers.nanToNull(s.perBatch()));
        msrs.put("nan_batches_dropped", s.nanBatchesDropped());
        msrs.put("nan_sources", s.nanSources());
        out.put("msrs", msrs);
        out.put("units", units);
        if (!units.equals(s.units())) {
            out.put("model_units", s.units());
        }
        out.put("cka", JsonNumbers.nanToNull(s.meanCka()));
        List<Map<String, Object>> adjacent = new ArrayList<>();
        for (int k = 0; k < s.adjacent().length; k++) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("from", units.get(k));
            a.put("to", units.get(k + 1));
            a.put("cka", JsonNumbers.nanToNull(s.adjacent()[k]));
            adjacent.add(a);
        }
        out.put("adjacent", adjacent);
        out.put("seconds", m.seconds());
        return out;
    }

    /** Files of a measurement made with the measure stage's settings (the stage, and pruning's before/after). */
    public static List<Path> writeFiles(Measurement m, Path dir, String stem) {
        return writeFiles(m, dir, stem, MeasurementOrigin.MEASURE_STAGE);
    }

    /** Writes {@code <stem>-cka.png} and {@code <stem>-msrs.json} into {@code dir}; returns the two paths. */
    public static List<Path> writeFiles(Measurement m, Path dir, String stem, MeasurementOrigin origin) {
        return writeFiles(m, dir, stem, origin, m.architecture().spec(), m.summary().units());
    }

    /** The JSON file of a measurement named {@code stem}: measure-msrs.json, and msrs.json rather than msrs-msrs.json. */
    public static String jsonName(String stem) {
        return stem.equals("msrs") ? "msrs.json" : stem + "-msrs.json";
    }

    /**
     * As {@link #writeFiles(Measurement, Path, String, MeasurementOrigin)}, the heatmap titled by
     * {@code model} and the units named {@code units} in both files: a pruned model appears as e.g.
     * "resnet20 pruned by cka" with its units under their original names.
     */
    public static List<Path> writeFiles(Measurement m, Path dir, String stem, MeasurementOrigin origin, String model,
                                        List<String> units) {
        return writeFiles(m, dir, stem, origin, model, units, units);
    }

    /**
     * As {@link #writeFiles(Measurement, Path, String, MeasurementOrigin, String, List)}, the heatmap drawn on
     * {@code grid} (the original model's units, for a pruned model): units not measured are blank rows and
     * columns, so the map lines up with the original's. The JSON keeps the measured units only.
     */
    public static List<Path> writeFiles(Measurement m, Path dir, String stem, MeasurementOrigin origin, String model,
                                        List<String> units, List<String> grid) {
        try {
            Files.createDirectories(dir);
            Path png = dir.resolve(stem + "-cka.png");
            Path json = dir.resolve(jsonName(stem));
            MsrsSummary s = m.summary();
            String title = String.format("%s on %s %s: MSRS %.2f +- %.2f (gamma %s)%s", model, m.dataset(),
                    m.split(), s.mean(), s.std(), s.gamma(), origin == MeasurementOrigin.AD_HOC ? ", ad hoc" : "");
            Map<String, Object> content = toJson(m, origin, units);
            CkaMatrix matrix = new CkaMatrix(units, s.meanCka(), List.of(), m.settings().batchSize());
            java.util.Set<String> gaps = new java.util.HashSet<>(grid);
            gaps.removeAll(units);
            CkaHeatmap.write(grid.containsAll(units) ? matrix.onGrid(grid) : matrix, title,
                    new CkaHeatmap.Marks(s.gamma(), java.util.Set.of(), grid.containsAll(units) ? gaps : java.util.Set.of(), null),
                    png);
            AtomicFiles.write(json, out -> JSON.writeValue(out, content));
            return List.of(png, json);
        } catch (IOException e) {
            throw new RedTestException("cannot write measurement files to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static long record(ResultsDatabase db, Measurement m, MeasurementOrigin origin, Double testTop1) {
        MsrsSummary s = m.summary();
        return new MeasurementTable(db).insert(new MeasurementTable.Row(
                new MeasurementTable.Source(m.runId(), origin, m.epoch(), m.checkpoint()),
                new MeasurementTable.Model(m.architecture().spec(), m.architecture().family().name().toLowerCase(),
                        m.architecture().depth()),
                new MeasurementTable.Probe(m.dataset(), m.split(), s.batches(), m.settings().batchSize(),
                        m.settings().sampling().word(), m.settings().seed()),
                new MeasurementTable.MsrsValues(s.beta(), s.gamma(), s.mean(), s.std(), s.nanBatchesDropped(), s.perBatch()),
                new MeasurementTable.CkaValues(s.units(), s.meanCka(), s.adjacent()),
                testTop1, m.seconds(), SoftwareVersions.json()));
    }

    public static String json(Measurement m, MeasurementOrigin origin) {
        try {
            return JSON.writeValueAsString(toJson(m, origin));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
