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

    public record Row(Long runId, String method, String criterion, long seed, String originalSpec, String prunedSpec,
                      String droppedJson, String reinitializedJson, int finetuneEpochs, double top1Original,
                      double top1Pruned, double top1FineTuned, long paramsOriginal, long paramsPruned,
                      double paramsReduction, long flopsOriginal, long flopsPruned, double flopsReduction,
                      double latencyOriginal, double latencyPruned, double latencyReduction,
                      double latencyOriginalSpread, double latencyPrunedSpread, double msrsOriginal,
                      double msrsPruned, String directory, String versions) {
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
            SqlValues.setLong(ps, ++i, r.runId());
            ps.setString(++i, r.method());
            ps.setString(++i, r.criterion());
            ps.setString(++i, r.originalSpec());
            ps.setString(++i, r.prunedSpec());
            ps.setString(++i, r.droppedJson());
            ps.setString(++i, r.reinitializedJson());
            ps.setInt(++i, r.finetuneEpochs());
            for (double v : new double[]{r.top1Original(), r.top1Pruned(), r.top1FineTuned()}) {
                SqlValues.setReal(ps, ++i, v);
            }
            ps.setLong(++i, r.paramsOriginal());
            ps.setLong(++i, r.paramsPruned());
            SqlValues.setReal(ps, ++i, r.paramsReduction());
            ps.setLong(++i, r.flopsOriginal());
            ps.setLong(++i, r.flopsPruned());
            SqlValues.setReal(ps, ++i, r.flopsReduction());
            for (double v : new double[]{r.latencyOriginal(), r.latencyPruned(), r.latencyReduction(), r.msrsOriginal(), r.msrsPruned()}) {
                SqlValues.setReal(ps, ++i, v);
            }
            ps.setString(++i, r.directory());
            ps.setString(++i, Instant.now().toString());
            ps.setString(++i, r.versions());
            ps.setLong(++i, r.seed());
            SqlValues.setReal(ps, ++i, r.latencyOriginalSpread());
            SqlValues.setReal(ps, ++i, r.latencyPrunedSpread());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record pruning: " + e.getMessage(), e);
        }
    }
}
