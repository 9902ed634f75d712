package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every value of a measurement row lands in its own column (the row is grouped; the columns are not). */
class MeasurementTableTest {
    @TempDir
    Path dir;

    @Test
    void eachValueLandsInItsColumn() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            long run = db.startRun(new ResultsDatabase.RunStart("r", "train", null, "h", 1, "cifar10", "vgg11", 1, 1, 3, "{}"));
            new MeasurementTable(db).insert(new MeasurementTable.Row(
                    new MeasurementTable.Source(run, MeasurementOrigin.TRAINING_PROBE, 2, "ckpt.zip"),
                    new MeasurementTable.Model("vgg11", "vgg", 11),
                    new MeasurementTable.Probe("cifar10", "test", 3, 128, "random", 9),
                    new MeasurementTable.MsrsValues(50, 0.7, 0.25, 0.125, 1, new double[]{0.5, Double.NaN, 0.0}),
                    new MeasurementTable.CkaValues(List.of("conv1", "conv2"), new double[][]{{1, 0.5}, {0.5, 1}},
                            new double[]{0.5}),
                    88.5, 12.5, "{\"v\":1}"));
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("run_id", run);
            expected.put("kind", "training");
            expected.put("origin", MeasurementOrigin.TRAINING_PROBE.column());
            expected.put("epoch", 2L);
            expected.put("checkpoint", "ckpt.zip");
            expected.put("model_spec", "vgg11");
            expected.put("family", "vgg");
            expected.put("depth", 11L);
            expected.put("dataset", "cifar10");
            expected.put("split", "test");
            expected.put("batches", 3L);
            expected.put("batch_size", 128L);
            expected.put("sampling", "random");
            expected.put("seed", 9L);
            expected.put("beta", 50.0);
            expected.put("gamma", 0.7);
            expected.put("msrs_mean", 0.25);
            expected.put("msrs_std", 0.125);
            expected.put("nan_batches", 1L);
            expected.put("per_batch", "[0.5,null,0.0]");
            expected.put("units", "[\"conv1\",\"conv2\"]");
            expected.put("cka", "[[1.0,0.5],[0.5,1.0]]");
            expected.put("adjacent", "[0.5]");
            expected.put("test_top1", 88.5);
            expected.put("seconds", 12.5);
            expected.put("versions", "{\"v\":1}");
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM measurements")) {
                rs.next();
                StoredColumns.assertColumns(expected, rs);
            }
        }
    }
}
