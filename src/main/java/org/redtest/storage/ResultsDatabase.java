package org.redtest.storage;

import org.redtest.RedTestException;
import org.redtest.training.EpochRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded SQLite results store (WAL mode, so readers never block a running experiment).
 * Every row carries its provenance: config text and hash, seed, data set, model spec, versions.
 * Later stages (measurement, pruning, search) add their own tables through {@link #connection()}.
 */
public final class ResultsDatabase implements AutoCloseable {
    private final Path file;
    private final Connection connection;

    private ResultsDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    public static ResultsDatabase open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Explicit transactions take the write lock at BEGIN, so concurrent claims serialise
            // (see CandidateStore) instead of failing when two readers both try to upgrade.
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 30000");
                    SchemaVersion.refuseNewer(c, file); // before WAL mode rewrites the file header
                    s.execute("PRAGMA journal_mode = WAL");
                    s.execute("PRAGMA foreign_keys = ON");
                }
                ResultsDatabase db = new ResultsDatabase(file, c);
                SchemaVersion.migrate(c);
                db.createSchema();
                return db;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException | java.io.IOException e) {
            throw new RedTestException("cannot open results database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** For other packages that keep their own tables in the same file. */
    public Connection connection() {
        return connection;
    }

    private void createSchema() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS runs (
                      id INTEGER PRIMARY KEY,
                      name TEXT NOT NULL UNIQUE,
                      kind TEXT NOT NULL,
                      status TEXT NOT NULL,
                      config_text TEXT,
                      config_hash TEXT,
                      seed INTEGER,
                      dataset TEXT,
                      model_spec TEXT,
                      params INTEGER,
                      flops INTEGER,
                      epochs_planned INTEGER,
                      started_at TEXT,
                      updated_at TEXT,
                      finished_at TEXT,
                      final_top1 REAL,
                      final_top5 REAL,
                      final_loss REAL,
                      train_seconds REAL,
                      versions TEXT,
                      owner_pid INTEGER,
                      owner_host TEXT,
                      owner_started TEXT,
                      error TEXT)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS epochs (
                      run_id INTEGER NOT NULL REFERENCES runs(id),
                      epoch INTEGER NOT NULL,
                      learning_rate REAL,
                      train_loss REAL,
                      test_top1 REAL,
                      test_top5 REAL,
                      test_loss REAL,
                      seconds REAL,
                      images_per_second REAL,
                      recorded_at TEXT,
                      PRIMARY KEY (run_id, epoch))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS evaluations (
                      id INTEGER PRIMARY KEY,
                      run_id INTEGER REFERENCES runs(id),
                      checkpoint TEXT,
                      model_spec TEXT,
                      dataset TEXT,
                      split TEXT,
                      samples INTEGER,
                      top1 REAL,
                      top5 REAL,
                      loss REAL,
                      seconds REAL,
                      evaluated_at TEXT,
                      versions TEXT)""");
        }
    }

    /** Provenance of a run as it starts. */
    public record RunStart(String name, String kind, String configText, String configHash, long seed,
                           String dataset, String modelSpec, long params, long flops, int epochsPlanned,
                           String versions) {
    }

    /**
     * Registers a run, or returns the id of the run of that name when it is being resumed. A run of
     * the same name with another config hash is refused: its results would mix two experiments.
     */
    public long startRun(RunStart run) {
        try {
            Optional<Long> existing = runId(run.name());
            if (existing.isPresent()) {
                String hash = queryString("SELECT config_hash FROM runs WHERE id = ?", existing.get());
                if (hash != null && !hash.equals(run.configHash())) {
                    throw new RedTestException("run '" + run.name() + "' already exists in " + file
                            + " with a different configuration; choose another run name");
                }
                try (PreparedStatement ps = connection.prepareStatement("UPDATE runs SET status = ?, error = NULL, updated_at = ?, "
                        + "versions = ?, owner_pid = ?, owner_host = ?, owner_started = ? WHERE id = ?")) {
                    ps.setString(1, RunStatus.RUNNING.word());
                    ps.setString(2, now());
                    ps.setString(3, run.versions());
                    setOwner(ps, 4, RunOwner.current());
                    ps.setLong(7, existing.get());
                    ps.executeUpdate();
                }
                return existing.get();
            }
            try (PreparedStatement ps = connection.prepareStatement("""
                    INSERT INTO runs(name, kind, status, config_text, config_hash, seed, dataset, model_spec,
                                     params, flops, epochs_planned, started_at, updated_at, versions, owner_pid,
                                     owner_host, owner_started)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                int i = 0;
                ps.setString(++i, run.name());
                ps.setString(++i, run.kind());
                ps.setString(++i, RunStatus.RUNNING.word());
                ps.setString(++i, run.configText());
                ps.setString(++i, run.configHash());
                ps.setLong(++i, run.seed());
                ps.setString(++i, run.dataset());
                ps.setString(++i, run.modelSpec());
                ps.setLong(++i, run.params());
                ps.setLong(++i, run.flops());
                ps.setInt(++i, run.epochsPlanned());
                ps.setString(++i, now());
                ps.setString(++i, now());
                ps.setString(++i, run.versions());
                setOwner(ps, ++i, RunOwner.current());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw failure("record run " + run.name(), e);
        }
    }

    /** Records (or, after a resume re-ran it, replaces) one epoch's metrics; epochs count from 1. */
    public void recordEpoch(long runId, EpochRecord e) {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT OR REPLACE INTO epochs(run_id, epoch, learning_rate, train_loss, test_top1, test_top5,
                                              test_loss, seconds, images_per_second, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int i = 0;
            ps.setLong(++i, runId);
            ps.setInt(++i, e.epoch());
            ps.setDouble(++i, e.learningRate());
            ps.setDouble(++i, e.trainLoss());
            ps.setDouble(++i, e.testTop1());
            ps.setDouble(++i, e.testTop5());
            ps.setDouble(++i, e.testLoss());
            ps.setDouble(++i, e.seconds());
            ps.setDouble(++i, e.imagesPerSecond());
            ps.setString(++i, now());
            ps.executeUpdate();
            touch(runId);
        } catch (SQLException ex) {
            throw failure("record epoch " + e.epoch(), ex);
        }
    }

    public List<EpochRecord> epochs(long runId) {
        List<EpochRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT epoch, learning_rate, train_loss, test_top1, test_top5, test_loss, seconds, images_per_second "
                        + "FROM epochs WHERE run_id = ? ORDER BY epoch")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EpochRecord(rs.getInt(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)));
                }
            }
        } catch (SQLException e) {
            throw failure("read epochs", e);
        }
        return out;
    }

    public void finishRun(long runId, double top1, double top5, double loss, double trainSeconds) {
        try (PreparedStatement ps = connection.prepareStatement("""
                UPDATE runs SET status = ?, finished_at = ?, updated_at = ?, final_top1 = ?,
                                final_top5 = ?, final_loss = ?, train_seconds = ? WHERE id = ?""")) {
            int i = 0;
            ps.setString(++i, RunStatus.FINISHED.word());
            ps.setString(++i, now());
            ps.setString(++i, now());
            ps.setDouble(++i, top1);
            ps.setDouble(++i, top5);
            ps.setDouble(++i, loss);
            ps.setDouble(++i, trainSeconds);
            ps.setLong(++i, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("finish run", e);
        }
    }

    /**
     * Marks a run this process is training as stopped by a signal. Only a 'running' row owned by this
     * process changes: a run that finished meanwhile, or that another process has taken over, keeps its status.
     * Returns whether the row changed.
     */
    public boolean markInterrupted(long runId) {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE runs SET status = ?, updated_at = ? WHERE id = ? AND status = ? AND owner_pid = ?")) {
            ps.setString(1, RunStatus.INTERRUPTED.word());
            ps.setString(2, now());
            ps.setLong(3, runId);
            ps.setString(4, RunStatus.RUNNING.word());
            ps.setLong(5, ProcessHandle.current().pid());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("mark run " + runId + " interrupted", e);
        }
    }

    /**
     * Marks a run this process was training as failed, with the one-line reason (a diverged network, a database
     * that stayed busy...). As {@link #markInterrupted(long)}, only this process's 'running' row changes.
     */
    public boolean markFailed(long runId, String reason) {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ? AND status = ? AND owner_pid = ?")) {
            ps.setString(1, RunStatus.FAILED.word());
            ps.setString(2, reason);
            ps.setString(3, now());
            ps.setLong(4, runId);
            ps.setString(5, RunStatus.RUNNING.word());
            ps.setLong(6, ProcessHandle.current().pid());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("mark run " + runId + " failed", e);
        }
    }

    /** Why a run failed; empty unless its status is 'failed'. */
    public Optional<String> runError(long runId) {
        return Optional.ofNullable(queryString("SELECT error FROM runs WHERE id = ? AND status = '" + RunStatus.FAILED.word()
                + "'", runId));
    }

    /**
     * {@link #markInterrupted(long)} on a connection of its own, for a thread other than the one training (the
     * signal hook): SQLite serialises it with the training thread's writes.
     */
    public static boolean markInterrupted(Path file, long runId) {
        try (ResultsDatabase own = open(file)) {
            return own.markInterrupted(runId);
        }
    }

    private static void setOwner(PreparedStatement ps, int first, RunOwner owner) throws SQLException {
        ps.setLong(first, owner.pid());
        ps.setString(first + 1, owner.host());
        ps.setString(first + 2, owner.processStart());
    }

    public record EvaluationRecord(Long runId, String checkpoint, String modelSpec, String dataset, String split,
                                   int samples, double top1, double top5, double loss, double seconds,
                                   String versions) {
    }

    public void recordEvaluation(EvaluationRecord e) {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO evaluations(run_id, checkpoint, model_spec, dataset, split, samples, top1, top5, loss,
                                        seconds, evaluated_at, versions)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int i = 0;
            SqlValues.setLong(ps, ++i, e.runId());
            ps.setString(++i, e.checkpoint());
            ps.setString(++i, e.modelSpec());
            ps.setString(++i, e.dataset());
            ps.setString(++i, e.split());
            ps.setInt(++i, e.samples());
            ps.setDouble(++i, e.top1());
            ps.setDouble(++i, e.top5());
            ps.setDouble(++i, e.loss());
            ps.setDouble(++i, e.seconds());
            ps.setString(++i, now());
            ps.setString(++i, e.versions());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw failure("record evaluation", ex);
        }
    }

    /** The configuration text a run was started with, if the run exists. */
    public Optional<String> configText(String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT config_text FROM runs WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the configuration of run " + name, e);
        }
    }

    /** The configuration text of the run with this id, if it has one. */
    public Optional<String> configText(long runId) {
        return Optional.ofNullable(queryString("SELECT config_text FROM runs WHERE id = ?", runId));
    }

    public Optional<Long> runId(String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM runs WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("look up run " + name, e);
        }
    }

    public String runStatus(long runId) {
        return queryString("SELECT status FROM runs WHERE id = ?", runId);
    }

    private String queryString(String sql, long id) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("query", e);
        }
    }

    private void touch(long runId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE runs SET updated_at = ? WHERE id = ?")) {
            ps.setString(1, now());
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }

    private RedTestException failure(String what, SQLException e) {
        return new RedTestException("results database " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    private static String now() {
        return Instant.now().toString();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a read/write connection we own: nothing useful to report
        }
    }
}
