package org.redtest.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Two models' units compared ({@code similarity --against}): one row per comparison with both models (file and
 * SHA-256), their units, the images and the rectangular mean CKA matrix (JSON; NaN as null).
 */
public final class ComparisonTable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResultsDatabase db;

    public ComparisonTable(ResultsDatabase db) {
        this.db = db;
        try (Statement s = db.connection().createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS comparisons (
                      id INTEGER PRIMARY KEY,
                      first_model TEXT NOT NULL,
                      first_sha256 TEXT,
                      first_units TEXT,
                      against_model TEXT NOT NULL,
                      against_sha256 TEXT,
                      against_units TEXT,
                      images TEXT,
                      batches INTEGER,
                      batch_size INTEGER,
                      cka TEXT,
                      compared_at TEXT,
                      versions TEXT)""");
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot create table comparisons: " + e.getMessage(), e);
        }
    }

    /** One side of a comparison: the model's file, its SHA-256 and its units in order. */
    public record Side(String model, String sha256, List<String> units) {
    }

    public long insert(Side first, Side against, String images, int batches, int batchSize, double[][] cka, String versions) {
        try (PreparedStatement ps = db.connection().prepareStatement("""
                INSERT INTO comparisons(first_model, first_sha256, first_units, against_model, against_sha256, against_units,
                  images, batches, batch_size, cka, compared_at, versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, first.model());
            ps.setString(2, first.sha256());
            ps.setString(3, JSON.writeValueAsString(first.units()));
            ps.setString(4, against.model());
            ps.setString(5, against.sha256());
            ps.setString(6, JSON.writeValueAsString(against.units()));
            ps.setString(7, images);
            ps.setInt(8, batches);
            ps.setInt(9, batchSize);
            ps.setString(10, JSON.writeValueAsString(JsonNumbers.nanToNull(cka)));
            ps.setString(11, Instant.now().toString());
            ps.setString(12, versions);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record comparison: " + e.getMessage(), e);
        }
    }
}
