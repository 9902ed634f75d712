package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every value of a pruning row lands in its own column (the row is grouped; the columns are not). */
class PruningTableTest {
    @TempDir
    Path dir;

    @Test
    void eachValueLandsInItsColumn() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            new PruningTable(db).insert(new PruningTable.Row(null, new PruningTable.Method("cka", "tau0.9", 7),
                    new PruningTable.Structures("resnet20", "resnet:2-3-3", "[\"s1.b2\"]", "[\"s2.b1.conv1\"]", 4),
                    new PruningTable.Top1(91.5, 62.25, 90.75), new PruningTable.Count(1000, 800, 20),
                    new PruningTable.Count(5000, 3500, 30), new PruningTable.Latency(0.004, 0.003, 25, 0.0002, 0.0001),
                    new PruningTable.Msrs(0.75, 0.5), "runs/x/prune-cka-tau0.9", "{\"v\":1}"));
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("method", "cka");
            expected.put("criterion", "tau0.9");
            expected.put("seed", 7L);
            expected.put("original_spec", "resnet20");
            expected.put("pruned_spec", "resnet:2-3-3");
            expected.put("dropped", "[\"s1.b2\"]");
            expected.put("reinitialized", "[\"s2.b1.conv1\"]");
            expected.put("finetune_epochs", 4L);
            expected.put("top1_original", 91.5);
            expected.put("top1_pruned", 62.25);
            expected.put("top1_finetuned", 90.75);
            expected.put("params_original", 1000L);
            expected.put("params_pruned", 800L);
            expected.put("params_reduction", 20.0);
            expected.put("flops_original", 5000L);
            expected.put("flops_pruned", 3500L);
            expected.put("flops_reduction", 30.0);
            expected.put("latency_original", 0.004);
            expected.put("latency_pruned", 0.003);
            expected.put("latency_reduction", 25.0);
            expected.put("latency_original_spread", 0.0002);
            expected.put("latency_pruned_spread", 0.0001);
            expected.put("msrs_original", 0.75);
            expected.put("msrs_pruned", 0.5);
            expected.put("directory", "runs/x/prune-cka-tau0.9");
            expected.put("versions", "{\"v\":1}");
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM prunings")) {
                rs.next();
                StoredColumns.assertColumns(expected, rs);
            }
        }
    }
}
