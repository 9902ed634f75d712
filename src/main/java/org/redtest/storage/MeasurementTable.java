package org.redtest.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Redundancy measurements in the results database: one row per measurement with its provenance,
 * MSRS statistics, unit names, the mean CKA matrix and adjacent CKAs (JSON columns; NaN as null).
 * {@code kind} is "measure" for a stand-alone measurement and "training" for the during-training probe.
 */
public final class MeasurementTable {
    private final ResultsDatabase db;

    public MeasurementTable(ResultsDatabase db) {
        this.db = db;
        try (Statement s = db.connection().createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS measurements (
                      id INTEGER PRIMARY KEY,
                      run_id INTEGER REFERENCES runs(id),
                      kind TEXT NOT NULL,
                      epoch INTEGER,
                      model_spec TEXT NOT NULL,
                      family TEXT,
                      depth INTEGER,
                      dataset TEXT,
                      split TEXT,
                      checkpoint TEXT,
                      batches INTEGER,
                      batch_size INTEGER,
                      sampling TEXT,
                      seed INTEGER,
                      beta REAL,
                      gamma REAL,
                      msrs_mean REAL,
                      msrs_std REAL,
                      nan_batches INTEGER,
                      per_batch TEXT,
                      units TEXT,
                      cka TEXT,
                      adjacent TEXT,
                      test_top1 REAL,
                      seconds REAL,
                      measured_at TEXT,
                      versions TEXT)""");
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot create table measurements: " + e.getMessage());
        }
    }

    public record Row(Long runId, String kind, Integer epoch, String modelSpec, String family, int depth,
                      String dataset, String split, String checkpoint, int batches, int batchSize, String sampling,
                      long seed, double beta, double gamma, double msrsMean, double msrsStd, int nanBatches,
                      double[] perBatch, List<String> units, double[][] cka, double[] adjacent, Double testTop1,
                      double seconds, String versions) {
    }

    /** A during-training probe re-measured after a resume replaces the earlier row for that epoch. */
    public long insert(Row r) {
        Connection c = db.connection();
        try {
            if (r.runId() != null && r.epoch() != null) {
                try (PreparedStatement del = c.prepareStatement(
                        "DELETE FROM measurements WHERE run_id = ? AND kind = ? AND epoch = ?")) {
                    del.setLong(1, r.runId());
                    del.setString(2, r.kind());
                    del.setInt(3, r.epoch());
                    del.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO measurements(run_id, kind, epoch, model_spec, family, depth, dataset, split, checkpoint,
                      batches, batch_size, sampling, seed, beta, gamma, msrs_mean, msrs_std, nan_batches, per_batch,
                      units, cka, adjacent, test_top1, seconds, measured_at, versions)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    Statement.RETURN_GENERATED_KEYS)) {
                int i = 0;
                SqlValues.setLong(ps, ++i, r.runId());
                ps.setString(++i, r.kind());
                SqlValues.setLong(ps, ++i, r.epoch() == null ? null : r.epoch().longValue());
                ps.setString(++i, r.modelSpec());
                ps.setString(++i, r.family());
                ps.setInt(++i, r.depth());
                ps.setString(++i, r.dataset());
                ps.setString(++i, r.split());
                ps.setString(++i, r.checkpoint());
                ps.setInt(++i, r.batches());
                ps.setInt(++i, r.batchSize());
                ps.setString(++i, r.sampling());
                ps.setLong(++i, r.seed());
                ps.setDouble(++i, r.beta());
                ps.setDouble(++i, r.gamma());
                SqlValues.setReal(ps, ++i, r.msrsMean());
                SqlValues.setReal(ps, ++i, r.msrsStd());
                ps.setInt(++i, r.nanBatches());
                ps.setString(++i, json(JsonNumbers.nanToNull(r.perBatch())));
                ps.setString(++i, json(r.units()));
                ps.setString(++i, json(JsonNumbers.nanToNull(r.cka())));
                ps.setString(++i, json(JsonNumbers.nanToNull(r.adjacent())));
                SqlValues.setReal(ps, ++i, r.testTop1());
                ps.setDouble(++i, r.seconds());
                ps.setString(++i, Instant.now().toString());
                ps.setString(++i, r.versions());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record measurement: " + e.getMessage());
        }
    }

    /** MSRS of a run's during-training probes, by epoch. */
    public record EpochPoint(int epoch, double msrsMean, double msrsStd, Double top1) {
    }

    public List<EpochPoint> trainingCurve(long runId) {
        List<EpochPoint> out = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement("""
                SELECT m.epoch, m.msrs_mean, m.msrs_std, e.test_top1 FROM measurements m
                LEFT JOIN epochs e ON e.run_id = m.run_id AND e.epoch = m.epoch
                WHERE m.run_id = ? AND m.kind = 'training' ORDER BY m.epoch""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double top1 = rs.getDouble(4);
                    out.add(new EpochPoint(rs.getInt(1), nullableDouble(rs, 2), nullableDouble(rs, 3), rs.wasNull() ? null : top1));
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read measurements: " + e.getMessage());
        }
        return out;
    }

    /** The latest stand-alone measurement of each (family, dataset, model, gamma): the points of MSRS against depth. */
    public record DepthPoint(String family, String dataset, String modelSpec, int depth, double gamma, double msrsMean,
                             double msrsStd) {
    }

    /** Trained models only (measured from a checkpoint) unless {@code includeUntrained}. */
    public List<DepthPoint> depthPoints(boolean includeUntrained) {
        List<DepthPoint> out = new ArrayList<>();
        String source = includeUntrained ? "" : " AND checkpoint IS NOT NULL";
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("""
                SELECT family, dataset, model_spec, depth, gamma, msrs_mean, msrs_std FROM measurements m
                WHERE kind = 'measure' AND msrs_mean IS NOT NULL%s AND id = (
                  SELECT MAX(id) FROM measurements n WHERE n.kind = 'measure' AND n.family = m.family
                    AND n.dataset = m.dataset AND n.model_spec = m.model_spec AND n.gamma = m.gamma
                    AND n.msrs_mean IS NOT NULL%s)
                ORDER BY family, dataset, depth""".formatted(source, source.replace("checkpoint", "n.checkpoint")))) {
            while (rs.next()) {
                out.add(new DepthPoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getDouble(5),
                        rs.getDouble(6), rs.getDouble(7)));
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read measurements: " + e.getMessage());
        }
        return out;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double nullableDouble(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? Double.NaN : v;
    }
}
