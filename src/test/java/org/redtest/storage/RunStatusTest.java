package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.testing.NeverLivePid;
import org.redtest.training.EpochRecord;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 2: who owns a 'running' run, what a killed owner looks like, and the schema migration. */
class RunStatusTest {
    @TempDir
    Path dir;

    private static ResultsDatabase.RunStart run(String name) {
        return new ResultsDatabase.RunStart(name, "train", "name: " + name, "h", 7, "cifar10", "resnet8", 1000, 2000, 3, "{}");
    }

    private static void setOwner(ResultsDatabase db, long id, long pid, String host, String start) throws Exception {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "UPDATE runs SET owner_pid = ?, owner_host = ?, owner_started = ? WHERE id = ?")) {
            ps.setLong(1, pid);
            ps.setString(2, host);
            ps.setString(3, start);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    @Test
    void aRunningRunIsLiveOnlyWhileItsOwningProcessExists() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            long id = db.startRun(run("a"));
            RunSummaries runs = new RunSummaries(db);
            RunOwner owner = runs.named("a").orElseThrow().owner();
            assertEquals(ProcessHandle.current().pid(), owner.pid(), "startRun records this process");
            assertEquals("running", runs.named("a").orElseThrow().statusText());

            setOwner(db, id, NeverLivePid.value(), owner.host(), owner.processStart());
            assertEquals("running (process gone)", runs.named("a").orElseThrow().statusText(), "killed owner");

            setOwner(db, id, owner.pid(), owner.host(), Instant.parse(owner.processStart()).minusSeconds(3600).toString());
            assertEquals("running (process gone)", runs.named("a").orElseThrow().statusText(), "pid now of another process");

            setOwner(db, id, owner.pid(), "elsewhere", owner.processStart());
            assertTrue(runs.named("a").orElseThrow().statusText().startsWith("running (on host elsewhere"));

            db.startRun(run("a")); // a resume takes the run over
            assertEquals("running", runs.named("a").orElseThrow().statusText());
            db.finishRun(id, 50, 90, 1.2, 10);
            assertEquals("finished", runs.named("a").orElseThrow().statusText(), "only 'running' is checked");
        }
    }

    @Test
    void markInterruptedTouchesOnlyARunningRunOfThisProcess() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            long mine = db.startRun(run("mine"));
            assertTrue(db.markInterrupted(mine));
            assertEquals("interrupted", db.runStatus(mine));
            assertFalse(db.markInterrupted(mine), "already interrupted");

            long finished = db.startRun(run("finished"));
            db.finishRun(finished, 50, 90, 1.2, 10);
            assertFalse(db.markInterrupted(finished));
            assertEquals("finished", db.runStatus(finished));

            long other = db.startRun(run("other"));
            setOwner(db, other, ProcessHandle.current().pid() + 1_000_000, "h", null);
            assertFalse(db.markInterrupted(other), "another process's run");
            assertEquals("running", db.runStatus(other));
        }
    }

    @Test
    void summariesShowTheLastEpochUntilARunFinishes() {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            long id = db.startRun(run("a"));
            db.recordEpoch(id, new EpochRecord(1, 0.1, 2.0, 30, 80, 1.9, 10, 100));
            db.recordEpoch(id, new EpochRecord(2, 0.1, 1.5, 40, 85, 1.6, 12, 100));
            RunSummaries.RunSummary s = new RunSummaries(db).named("a").orElseThrow();
            assertEquals(2, s.epochsDone());
            assertEquals(3, s.epochsPlanned());
            assertEquals(40, s.top1());
            assertEquals(1.6, s.loss());
            assertEquals(22, s.trainSeconds());
            assertNull(s.finishedAt());
            db.finishRun(id, 41, 86, 1.55, 30);
            s = new RunSummaries(db).named("a").orElseThrow();
            assertEquals(41, s.top1(), "the final evaluation once finished");
            assertEquals(30, s.trainSeconds());
        }
    }

    /** A database written before owners and measurement origins were recorded gains the columns; its rows stay. */
    @Test
    void anOlderDatabaseIsMigrated() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                      status TEXT NOT NULL, config_text TEXT, config_hash TEXT, seed INTEGER, dataset TEXT, model_spec TEXT,
                      params INTEGER, flops INTEGER, epochs_planned INTEGER, started_at TEXT, updated_at TEXT,
                      finished_at TEXT, final_top1 REAL, final_top5 REAL, final_loss REAL, train_seconds REAL, versions TEXT)""");
            s.execute("""
                    CREATE TABLE measurements (id INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs(id), kind TEXT NOT NULL,
                      epoch INTEGER, model_spec TEXT NOT NULL, family TEXT, depth INTEGER, dataset TEXT, split TEXT,
                      checkpoint TEXT, batches INTEGER, batch_size INTEGER, sampling TEXT, seed INTEGER, beta REAL,
                      gamma REAL, msrs_mean REAL, msrs_std REAL, nan_batches INTEGER, per_batch TEXT, units TEXT, cka TEXT,
                      adjacent TEXT, test_top1 REAL, seconds REAL, measured_at TEXT, versions TEXT)""");
            s.execute("INSERT INTO runs(name, kind, status, epochs_planned) VALUES ('old', 'train', 'running', 3)");
            s.execute("""
                    INSERT INTO measurements(run_id, kind, model_spec, family, depth, dataset, split, batches, batch_size,
                      sampling, seed, beta, gamma, msrs_mean, msrs_std) VALUES
                      (1, 'measure', 'resnet8', 'resnet', 8, 'cifar10', 'test', 2, 256, 'first', 42, 100, 0.8, 3.5, 0.1)""");
        }
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            new MeasurementTable(db);
            assertTrue(columns(db, "runs").containsAll(List.of("owner_pid", "owner_host", "owner_started")));
            assertTrue(columns(db, "measurements").contains("origin"));
            RunSummaries.RunSummary old = new RunSummaries(db).named("old").orElseThrow();
            assertNull(old.owner());
            assertEquals("running (owner not recorded)", old.statusText());
            MeasurementTable.Stored m = new MeasurementTable(db).standAlone().get(0);
            assertNull(m.origin(), "an old row's origin is unknown");
            assertEquals(3.5, m.msrsMean());
        }
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            new MeasurementTable(db); // opening again is a no-op
            assertEquals(1, new RunSummaries(db).all().size());
        }
    }

    private static List<String> columns(ResultsDatabase db, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }
}
