package org.redtest.storage;

import org.redtest.RedTestException;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Pruning results in the results database: one row per method, criterion and seed of a run. Latency columns are
 * batch-1 medians in seconds; their spreads are half the interquartile range over timing rounds.
 */
public final class PruningTable {
    private final ResultsDatabase db;

    public PruningTable(ResultsDatabase db) {
        this.db = db;
        try (Statement s = db.connection().createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS prunings (
                      id INTEGER PRIMARY KEY,
                      run_id INTEGER REFERENCES runs(id),
                      method TEXT NOT NULL,
                      criterion TEXT NOT NULL,
                      original_spec TEXT NOT NULL,
                      pruned_spec TEXT NOT NULL,
                      dropped TEXT,
                      reinitialized TEXT,
                      finetune_epochs INTEGER,
                      top1_original REAL,
                      top1_pruned REAL,
                      top1_finetuned REAL,
                      params_original INTEGER,
                      params_pruned INTEGER,
                      params_reduction REAL,
                      flops_original INTEGER,
                      flops_pruned INTEGER,
                      flops_reduction REAL,
                      latency_original REAL,
                      latency_pruned REAL,
                      latency_reduction REAL,
                      msrs_original REAL,
                      msrs_pruned REAL,
                      directory TEXT,
                      recorded_at TEXT,
                      versions TEXT,
                      seed INTEGER,
                      latency_original_spread REAL,
                      latency_pruned_spread REAL)""");
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot create table prunings: " + e.getMessage(), e);
        }
    }

    /** One pruning result to record: {@code directory} is where it was fine-tuned, {@code versions} JSON. */
    public record Row(Long runId, Method method, Structures structures, Top1 top1, Count params, Count flops,
                      Latency latency, Msrs msrs, String directory, String versions) {
    }

    /** Which pruning: the selection method, the criterion (e.g. "tau0.9", "keep8") and the fine-tuning's seed. */
    public record Method(String name, String criterion, long seed) {
    }

    /** The specs before and after, the dropped units and freshly initialised layers (JSON arrays), fine-tuning epochs. */
    public record Structures(String originalSpec, String prunedSpec, String droppedJson, String reinitializedJson,
                             int finetuneEpochs) {
    }

    /** Top-1 test accuracy (%) of the original, right after pruning and after fine-tuning. */
    public record Top1(double original, double pruned, double fineTuned) {
    }

    /** Params or FLOPs before and after, and the reduction in percent. */
    public record Count(long original, long pruned, double reduction) {
    }

    /** Batch-1 median latencies (seconds) before and after, the reduction in percent, and the two spreads. */
    public record Latency(double original, double pruned, double reduction, double originalSpread, double prunedSpread) {
    }

    /** MSRS before and after. */
    public record Msrs(double original, double pruned) {
    }

    public void insert(Row r) {
        try (PreparedStatement ps = db.connection().prepareStatement("""
                INSERT INTO prunings(run_id, method, criterion, original_spec, pruned_spec, dropped, reinitialized,
                  finetune_epochs, top1_original, top1_pruned, top1_finetuned, params_original, params_pruned,
                  params_reduction, flops_original, flops_pruned, flops_reduction, latency_original, latency_pruned,
                  latency_reduction, msrs_original, msrs_pruned, directory, recorded_at, versions, seed,
                  latency_original_spread, latency_pruned_spread)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int i = 0;
            Structures s = r.structures();
            SqlValues.setLong(ps, ++i, r.runId());
            ps.setString(++i, r.method().name());
            ps.setString(++i, r.method().criterion());
            ps.setString(++i, s.originalSpec());
            ps.setString(++i, s.prunedSpec());
            ps.setString(++i, s.droppedJson());
            ps.setString(++i, s.reinitializedJson());
            ps.setInt(++i, s.finetuneEpochs());
            for (double v : new double[]{r.top1().original(), r.top1().pruned(), r.top1().fineTuned()}) {
                SqlValues.setReal(ps, ++i, v);
            }
            for (Count c : new Count[]{r.params(), r.flops()}) {
                ps.setLong(++i, c.original());
                ps.setLong(++i, c.pruned());
                SqlValues.setReal(ps, ++i, c.reduction());
            }
            Latency l = r.latency();
            for (double v : new double[]{l.original(), l.pruned(), l.reduction(), r.msrs().original(), r.msrs().pruned()}) {
                SqlValues.setReal(ps, ++i, v);
            }
            ps.setString(++i, r.directory());
            ps.setString(++i, Instant.now().toString());
            ps.setString(++i, r.versions());
            ps.setLong(++i, r.method().seed());
            SqlValues.setReal(ps, ++i, l.originalSpread());
            SqlValues.setReal(ps, ++i, l.prunedSpread());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record pruning: " + e.getMessage(), e);
        }
    }

    /**
     * The MSRS each pruned model was measured at after fine-tuning, by the name its fine-tuning run has in the
     * runs table (the pruned run's name, '/', the fine-tuning directory's name); the latest row wins. Pruning
     * measures the pruned models into its own rows, not into the measurements table, so {@code runs} and
     * {@code compare} look here for a fine-tuning run's MSRS.
     */
    public java.util.Map<String, Double> prunedMsrsByRunName() {
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        try (PreparedStatement ps = db.connection().prepareStatement("""
                SELECT r.name, p.directory, p.msrs_pruned FROM prunings p JOIN runs r ON p.run_id = r.id
                WHERE p.directory IS NOT NULL ORDER BY p.id""");
             java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double msrs = rs.getDouble(3);
                if (!rs.wasNull()) {
                    out.put(rs.getString(1) + "/" + java.nio.file.Path.of(rs.getString(2)).getFileName(), msrs);
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read prunings: " + e.getMessage(), e);
        }
        return out;
    }
}
