package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database of an older build is migrated when opened; one of a newer build is refused and left as it was. */
class SchemaVersionTest {
    @TempDir
    Path dir;

    /** A database as the first release wrote it (tables and a few rows; storage-schema-v1.sql). */
    private Path versionOneDatabase() throws Exception {
        Path file = dir.resolve("v1.db");
        String script;
        try (InputStream in = getClass().getResourceAsStream("/storage-schema-v1.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : script.split(";\\s*\\n")) {
                String statement = sql.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + " " + b).strip();
                if (!statement.isEmpty()) {
                    s.execute(statement);
                }
            }
        }
        return file;
    }

    @Test
    void anOlderDatabaseIsMigratedAndKeepsItsRows() throws Exception {
        Path file = versionOneDatabase();
        try (ResultsDatabase db = ResultsDatabase.open(file); Statement s = db.connection().createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT MAX(version), COUNT(*) FROM schema_info")) {
                rs.next();
                assertEquals(SchemaVersion.CURRENT, rs.getInt(1));
                assertEquals(1, rs.getInt(2), "one version row");
            }
            try (ResultSet rs = s.executeQuery("SELECT name, status, final_top1, owner_pid FROM runs")) {
                rs.next();
                assertEquals("quickstart", rs.getString(1));
                assertEquals(83.24, rs.getDouble(3), 1e-9);
                rs.getLong(4);
                assertTrue(rs.wasNull(), "the new owner column is there, NULL for the old row");
            }
            try (ResultSet rs = s.executeQuery("SELECT method, seed, latency_original_spread, latency_reduction FROM prunings")) {
                rs.next();
                assertEquals("cka", rs.getString(1));
                assertEquals(25.0, rs.getDouble(4), 1e-9);
            }
            try (ResultSet rs = s.executeQuery("SELECT host, attempts, error, measure_seconds, msrs_dropped_batches FROM nas_candidates")) {
                assertTrue(!rs.next(), "the candidates table has its new columns");
            }
            try (ResultSet rs = s.executeQuery("SELECT origin FROM measurements")) {
                assertTrue(!rs.next() || rs.getString(1) == null, "the origin column exists");
            }
            assertEquals(1, db.epochs(db.runId("quickstart").orElseThrow()).size(), "epochs still read");
        }
        try (ResultsDatabase again = ResultsDatabase.open(file)) {
            assertTrue(again.runId("quickstart").isPresent(), "opening a migrated database again changes nothing");
        }
    }

    @Test
    void aNewerDatabaseIsRefusedWithoutBeingTouched() throws Exception {
        Path file = versionOneDatabase();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_info SET version = " + (SchemaVersion.CURRENT + 1));
        }
        byte[] before = Files.readAllBytes(file);
        RedTestException e = assertThrows(RedTestException.class, () -> ResultsDatabase.open(file));
        assertTrue(e.getMessage().contains("was written by a newer RedTest (schema version " + (SchemaVersion.CURRENT + 1)
                + "; this build reads versions up to " + SchemaVersion.CURRENT + ")"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "nothing was created or altered");
    }

    @Test
    void aNewDatabaseStartsAtTheCurrentVersion() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("new.db")); Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_info")) {
            rs.next();
            assertEquals(SchemaVersion.CURRENT, rs.getInt(1));
        }
    }
}
