package org.redtest.storage;

import org.redtest.RedTestException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema version of a results database and the migrations between versions. A database written by an
 * earlier build is brought up to date when it is opened (columns added later are added, old rows keep NULL
 * there); one written by a newer build is refused before anything is changed, since this build cannot know
 * what the newer tables mean.
 * <p>
 * Versions: 1, the first release (runs, epochs, evaluations, measurements, prunings, candidates,
 * generations); 2, run owners (pid, host, start), measurement origin (canonical or ad hoc), pruning seeds
 * and latency spreads, search candidates' executor host, attempts, error, measurement time and dropped batches.
 */
final class SchemaVersion {
    static final int CURRENT = 3;

    private SchemaVersion() {
    }

    /** The stored version: 0 for a new, empty database. */
    static int storedVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!tableExists(s, "schema_info")) {
                return tableExists(s, "runs") ? 1 : 0;
            }
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_info")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Refuses a database of a newer schema, naming both versions; before any table is created or changed. */
    static void refuseNewer(Connection c, Path file) throws SQLException {
        int stored = storedVersion(c);
        if (stored > CURRENT) {
            throw new RedTestException("results database " + file + " was written by a newer RedTest (schema version "
                    + stored + "; this build reads versions up to " + CURRENT + "): open it with that build, or give "
                    + "another database (--db or the experiment's database:)");
        }
    }

    /** Brings the tables that exist up to the current version and records it. */
    static void migrate(Connection c) throws SQLException {
        int stored = storedVersion(c);
        try (Statement s = c.createStatement()) {
            if (stored < 2) {
                addIfPresent(s, "runs", "owner_pid", "INTEGER");
                addIfPresent(s, "runs", "owner_host", "TEXT");
                addIfPresent(s, "runs", "owner_started", "TEXT");
                addIfPresent(s, "measurements", "origin", "TEXT");
                addIfPresent(s, "prunings", "seed", "INTEGER");
                addIfPresent(s, "prunings", "latency_original_spread", "REAL");
                addIfPresent(s, "prunings", "latency_pruned_spread", "REAL");
                addIfPresent(s, "nas_candidates", "msrs_dropped_batches", "INTEGER");
                addIfPresent(s, "nas_candidates", "measure_seconds", "REAL");
                addIfPresent(s, "nas_candidates", "host", "TEXT");
                addIfPresent(s, "nas_candidates", "attempts", "INTEGER");
                addIfPresent(s, "nas_candidates", "error", "TEXT");
            }
            if (stored < 3) {
                addIfPresent(s, "runs", "error", "TEXT");
            }
            s.execute("CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL)");
            s.execute("DELETE FROM schema_info");
            s.execute("INSERT INTO schema_info(version) VALUES (" + CURRENT + ")");
        }
    }

    private static void addIfPresent(Statement s, String table, String column, String type) throws SQLException {
        if (tableExists(s, table)) {
            addIfMissing(s, table, column, type);
        }
    }

    static void addIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet columns = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                if (columns.getString("name").equals(column)) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    private static boolean tableExists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return rs.next();
        }
    }
}
