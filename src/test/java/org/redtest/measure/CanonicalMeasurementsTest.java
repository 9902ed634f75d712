package org.redtest.measure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 3: an ad-hoc {@code msrs --batches 2} recorded after a run's measure stage (10 batches)
 * does not take the stage's place, in the run's MSRS or in the expected-MSRS fit.
 */
class CanonicalMeasurementsTest {
    @TempDir
    Path dir;

    private static long run(ResultsDatabase db, String model) {
        String config = "name: " + model + "\nmodel: " + model + "\ndata: {dataset: cifar10, dir: /data}\n"
                + "measure: {batches: 10, batch_size: 256}\n";
        return db.startRun(new ResultsDatabase.RunStart(model, "train", config, "h-" + model, 42, "cifar10", model,
                1, 1, 3, "{}"));
    }

    private static long measure(ResultsDatabase db, Long runId, MeasurementOrigin origin, String model, int depth,
                                int batches, String checkpoint, double msrs) {
        return new MeasurementTable(db).insert(new MeasurementTable.Row(
                new MeasurementTable.Source(runId, origin, null, checkpoint), new MeasurementTable.Model(model, "resnet", depth),
                new MeasurementTable.Probe("cifar10", "test", batches, 256, "first", 42),
                new MeasurementTable.MsrsValues(100, 0.8, msrs, 0.5, 0, new double[batches]),
                new MeasurementTable.CkaValues(List.of("a", "b"), new double[][]{{1, 0}, {0, 1}}, new double[]{0}), null, 1, "{}"));
    }

    @Test
    void anAdHocMeasurementNeverTakesTheCanonicalOnesPlace() {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            long r20 = run(db, "resnet20");
            long r32 = run(db, "resnet32");
            long stage = measure(db, r20, MeasurementOrigin.MEASURE_STAGE, "resnet20", 20, 10, "c/resnet20/model.zip", 21.0);
            long adHoc = measure(db, r20, MeasurementOrigin.AD_HOC, "resnet20", 20, 2, "c/resnet20/model.zip", 30.0);
            measure(db, r32, MeasurementOrigin.AD_HOC, "resnet32", 32, 2, "c/resnet32/model.zip", 60.0);
            measure(db, null, MeasurementOrigin.AD_HOC, "resnet44", 44, 2, null, 1.0); // untrained

            CanonicalMeasurements m = CanonicalMeasurements.read(db);
            assertEquals(stage, m.of(r20).orElseThrow().id(), "the later ad-hoc row is not the run's MSRS");
            assertEquals(List.of(adHoc), m.adHocOf(r20).stream().map(MeasurementTable.Stored::id).toList());
            assertTrue(m.of(r32).isEmpty(), "a run measured only ad hoc has no canonical MSRS");
            assertEquals(3, m.adHocCount());

            List<CanonicalMeasurements.FitPoint> fit = m.depthPoints(false, false);
            assertEquals(1, fit.size(), "by default only canonical measurements are fitted");
            assertEquals(21.0, fit.get(0).source().msrsMean());

            List<CanonicalMeasurements.FitPoint> withAdHoc = m.depthPoints(true, false);
            assertEquals(List.of("resnet20", "resnet32"), withAdHoc.stream().map(p -> p.source().modelSpec()).toList());
            assertEquals(21.0, withAdHoc.get(0).source().msrsMean(), "asked for ad hoc, the canonical one still wins");
            assertTrue(withAdHoc.get(0).canonical());
            assertFalse(withAdHoc.get(1).canonical(), "and the ad-hoc point is marked as such");

            assertEquals(List.of("resnet20", "resnet44"), m.depthPoints(false, true).stream()
                    .map(p -> p.source().modelSpec()).toList(), "--include-untrained adds the untrained model");
        }
    }

    /** Rows older than the origin column: canonical when their settings are the run's configured ones. */
    @Test
    void oldRowsAreJudgedByTheRunsConfiguredSettings() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("old.db"))) {
            long r20 = run(db, "resnet20");
            long tenBatches = measure(db, r20, MeasurementOrigin.MEASURE_STAGE, "resnet20", 20, 10, "m.zip", 21.0);
            long twoBatches = measure(db, r20, MeasurementOrigin.MEASURE_STAGE, "resnet20", 20, 2, "m.zip", 30.0);
            long noRun = measure(db, null, MeasurementOrigin.MEASURE_STAGE, "resnet20", 20, 10, "m.zip", 22.0);
            try (Statement s = db.connection().createStatement()) {
                s.execute("UPDATE measurements SET origin = NULL");
            }
            CanonicalMeasurements m = CanonicalMeasurements.read(db);
            assertEquals(tenBatches, m.of(r20).orElseThrow().id(), "10 batches of 256, as configured");
            assertEquals(List.of(twoBatches, noRun).size(), m.adHocCount());
            assertEquals(List.of(twoBatches), m.adHocOf(r20).stream().map(MeasurementTable.Stored::id).toList());
        }
    }
}
