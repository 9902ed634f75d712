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
 * {@code kind} is "measure" for a stand-alone measurement and "training" for the during-training probe;
 * {@code origin} says what made it ({@link MeasurementOrigin}; NULL in rows older than the column).
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
                      versions TEXT,
                      origin TEXT)""");
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot create table measurements: " + e.getMessage(), e);
        }
    }

    /**
     * One measurement to record. {@code testTop1} is the model's accuracy when it was measured, if known;
     * {@code seconds} the measurement's own time; {@code versions} the software versions (JSON).
     */
    public record Row(Source source, Model model, Probe probe, MsrsValues msrs, CkaValues cka, Double testTop1,
                      double seconds, String versions) {
        /** The probe's rows are a training curve; every other measurement is stand-alone. */
        String kind() {
            return source.origin() == MeasurementOrigin.TRAINING_PROBE ? "training" : "measure";
        }
    }

    /**
     * Where the measured weights came from: the run (if any), what made the measurement, the epoch of a
     * during-training probe (else null) and the checkpoint file (if any).
     */
    public record Source(Long runId, MeasurementOrigin origin, Integer epoch, String checkpoint) {
    }

    /** The measured network: its spec, family (lower case) and depth as the paper counts it. */
    public record Model(String spec, String family, int depth) {
    }

    /** The images measured: data set and split, and how the batches were drawn ({@code batches} measured). */
    public record Probe(String dataset, String split, int batches, int batchSize, String sampling, long seed) {
    }

    /** MSRS with its parameters, over the batches; {@code nanBatches} batches were dropped for a NaN. */
    public record MsrsValues(double beta, double gamma, double mean, double std, int nanBatches, double[] perBatch) {
    }

    /** The units in network order, their mean CKA matrix and adjacent[k] = CKA(unit k, unit k+1). */
    public record CkaValues(List<String> units, double[][] mean, double[] adjacent) {
    }

    /** A during-training probe re-measured after a resume replaces the earlier row for that epoch. */
    public long insert(Row r) {
        Connection c = db.connection();
        try {
            Source source = r.source();
            if (source.runId() != null && source.epoch() != null) {
                try (PreparedStatement del = c.prepareStatement(
                        "DELETE FROM measurements WHERE run_id = ? AND kind = ? AND epoch = ?")) {
                    del.setLong(1, source.runId());
                    del.setString(2, r.kind());
                    del.setInt(3, source.epoch());
                    del.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO measurements(run_id, kind, epoch, model_spec, family, depth, dataset, split, checkpoint,
                      batches, batch_size, sampling, seed, beta, gamma, msrs_mean, msrs_std, nan_batches, per_batch,
                      units, cka, adjacent, test_top1, seconds, measured_at, versions, origin)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    Statement.RETURN_GENERATED_KEYS)) {
                int i = 0;
                Model model = r.model();
                Probe probe = r.probe();
                MsrsValues msrs = r.msrs();
                SqlValues.setLong(ps, ++i, source.runId());
                ps.setString(++i, r.kind());
                SqlValues.setLong(ps, ++i, source.epoch() == null ? null : source.epoch().longValue());
                ps.setString(++i, model.spec());
                ps.setString(++i, model.family());
                ps.setInt(++i, model.depth());
                ps.setString(++i, probe.dataset());
                ps.setString(++i, probe.split());
                ps.setString(++i, source.checkpoint());
                ps.setInt(++i, probe.batches());
                ps.setInt(++i, probe.batchSize());
                ps.setString(++i, probe.sampling());
                ps.setLong(++i, probe.seed());
                ps.setDouble(++i, msrs.beta());
                ps.setDouble(++i, msrs.gamma());
                SqlValues.setReal(ps, ++i, msrs.mean());
                SqlValues.setReal(ps, ++i, msrs.std());
                ps.setInt(++i, msrs.nanBatches());
                ps.setString(++i, json(JsonNumbers.nanToNull(msrs.perBatch())));
                ps.setString(++i, json(r.cka().units()));
                ps.setString(++i, json(JsonNumbers.nanToNull(r.cka().mean())));
                ps.setString(++i, json(JsonNumbers.nanToNull(r.cka().adjacent())));
                SqlValues.setReal(ps, ++i, r.testTop1());
                ps.setDouble(++i, r.seconds());
                ps.setString(++i, Instant.now().toString());
                ps.setString(++i, r.versions());
                ps.setString(++i, source.origin().column());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record measurement: " + e.getMessage(), e);
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
            throw new RedTestException("results database " + db.file() + ": cannot read measurements: " + e.getMessage(), e);
        }
        return out;
    }

    /** A point of MSRS against depth (the expected-MSRS fit and its figure). */
    public record DepthPoint(String family, String dataset, String modelSpec, int depth, double gamma, double msrsMean,
                             double msrsStd) {
    }

    /**
     * A stand-alone measurement as stored, with its settings; {@code batches} is the number measured (fewer than
     * asked when the split is small) and {@code origin} is null for rows older than the column.
     */
    public record Stored(long id, Long runId, MeasurementOrigin origin, String modelSpec, String family, int depth,
                         String dataset, String split, String checkpoint, int batches, int batchSize, String sampling,
                         long seed, double beta, double gamma, double msrsMean, double msrsStd, String measuredAt) {
        public DepthPoint depthPoint() {
            return new DepthPoint(family, dataset, modelSpec, depth, gamma, msrsMean, msrsStd);
        }

        /** "2 batches of 256, first, test, gamma 0.8": what the measurement was made with. */
        public String settings() {
            return batches + (batches == 1 ? " batch" : " batches") + " of " + batchSize + ", " + sampling + ", " + split
                    + ", gamma " + gamma;
        }
    }

    /** Every stand-alone measurement (not the during-training probes), oldest first. */
    public List<Stored> standAlone() {
        List<Stored> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("""
                SELECT id, run_id, origin, model_spec, family, depth, dataset, split, checkpoint, batches, batch_size,
                       sampling, seed, beta, gamma, msrs_mean, msrs_std, measured_at
                FROM measurements WHERE kind = 'measure' ORDER BY id""")) {
            while (rs.next()) {
                long run = rs.getLong(2);
                Long runId = rs.wasNull() ? null : run;
                out.add(new Stored(rs.getLong(1), runId, MeasurementOrigin.fromColumn(rs.getString(3)), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10),
                        rs.getInt(11), rs.getString(12), rs.getLong(13), rs.getDouble(14), rs.getDouble(15),
                        nullableDouble(rs, 16), nullableDouble(rs, 17), rs.getString(18)));
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read measurements: " + e.getMessage(), e);
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
