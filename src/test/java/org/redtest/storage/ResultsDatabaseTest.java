package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;
import org.redtest.training.EpochRecord;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsDatabaseTest {
    @TempDir
    Path dir;

    private static ResultsDatabase.RunStart run(String name, String hash) {
        return new ResultsDatabase.RunStart(name, "train", "name: " + name, hash, 7, "fashion-mnist", "resnet20",
                269722, 40_000_000, 3, "{\"java\": \"17\"}");
    }

    @Test
    void aPruningTableOfAnOlderBuildGainsTheNewColumnsAndKeepsItsRows() throws Exception {
        Path file = dir.resolve("old.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            // the prunings table as builds before seeds and latency spreads wrote it
            s.execute("CREATE TABLE prunings (id INTEGER PRIMARY KEY, run_id INTEGER, method TEXT NOT NULL, criterion TEXT NOT NULL, "
                    + "original_spec TEXT NOT NULL, pruned_spec TEXT NOT NULL, dropped TEXT, reinitialized TEXT, finetune_epochs INTEGER, "
                    + "top1_original REAL, top1_pruned REAL, top1_finetuned REAL, params_original INTEGER, params_pruned INTEGER, "
                    + "params_reduction REAL, flops_original INTEGER, flops_pruned INTEGER, flops_reduction REAL, latency_original REAL, "
                    + "latency_pruned REAL, latency_reduction REAL, msrs_original REAL, msrs_pruned REAL, directory TEXT, "
                    + "recorded_at TEXT, versions TEXT)");
            s.execute("INSERT INTO prunings(method, criterion, original_spec, pruned_spec) VALUES ('cka', 'keep8', 'vgg19', 'vgg:64')");
        }
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            PruningTable table = new PruningTable(db);
            table.insert(new PruningTable.Row(null, new PruningTable.Method("random", "keep8", 43),
                    new PruningTable.Structures("vgg19", "vgg:64,M", "[]", "[]", 1), new PruningTable.Top1(90, 80, 88),
                    new PruningTable.Count(10, 5, 50), new PruningTable.Count(100, 60, 40),
                    new PruningTable.Latency(0.010, 0.008, 20, 0.001, 0.0005), new PruningTable.Msrs(3, 2), "d", "{}"));
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT method, seed, latency_pruned_spread FROM prunings ORDER BY id")) {
                rs.next();
                assertEquals("cka", rs.getString(1));
                assertEquals(0, rs.getLong(2));
                assertTrue(rs.wasNull(), "an old row has no seed");
                rs.next();
                assertEquals(43, rs.getLong(2));
                assertEquals(0.0005, rs.getDouble(3), 1e-12);
            }
        }
    }

    @Test
    void usesWriteAheadLogging() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("sub/r.db"));
             Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void resumedRunKeepsItsIdAndEpochsAreReplacedNotDuplicated() {
        Path file = dir.resolve("r.db");
        long id;
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            id = db.startRun(run("a", "h1"));
            db.recordEpoch(id, new EpochRecord(1, 0.1, 2.0, 30, 80, 1.9, 10, 100));
            db.recordEpoch(id, new EpochRecord(2, 0.1, 1.5, 40, 85, 1.6, 10, 100));
        }
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            assertEquals(id, db.startRun(run("a", "h1")));
            db.recordEpoch(id, new EpochRecord(2, 0.1, 1.4, 42, 86, 1.5, 10, 100));
            assertEquals(2, db.epochs(id).size());
            assertEquals(42, db.epochs(id).get(1).testTop1());
            assertEquals("running", db.runStatus(id));
            db.finishRun(id, 42, 86, 1.5, 20);
            assertEquals("finished", db.runStatus(id));
        }
    }

    @Test
    void sameNameWithAnotherConfigIsRefused() {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            db.startRun(run("a", "h1"));
            var e = assertThrows(RedTestException.class, () -> db.startRun(run("a", "h2")));
            assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
        }
    }

    @Test
    void evaluationsRecordProvenance() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            db.recordEvaluation(new ResultsDatabase.EvaluationRecord(null, "x/model.zip", "vgg11", "cifar10", "test",
                    100, 91.0, 99.0, 0.3, 1.0, "{}"));
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT model_spec, samples, top1 FROM evaluations")) {
                assertTrue(rs.next());
                assertEquals("vgg11", rs.getString(1));
                assertEquals(100, rs.getInt(2));
                assertEquals(91.0, rs.getDouble(3));
            }
        }
    }

    @Test
    void unusableLocationGivesAClearError() {
        var e = assertThrows(RedTestException.class, () -> ResultsDatabase.open(Path.of("/proc/no/such/r.db")));
        assertTrue(e.getMessage().startsWith("cannot open results database /proc/no/such/r.db"), e.getMessage());
    }
}
