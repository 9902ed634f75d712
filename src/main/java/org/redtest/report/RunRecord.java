package org.redtest.report;

import org.redtest.RedTestException;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.EpochRecord;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What the results database holds about one run, read once: its row in {@code runs} (the status as people
 * should read it: a killed run is not "running"), its epochs, its during-training MSRS probes, and every
 * trained model's canonical MSRS (for the expected-MSRS fit).
 */
record RunRecord(String status, Double finalTop1, Long params, Long flops, String configHash, String versions, String startedAt,
                 String finishedAt, Double trainSeconds, List<EpochRecord> epochs,
                 List<MeasurementTable.EpochPoint> msrsProbes, List<MeasurementTable.DepthPoint> depthPoints) {

    static Optional<RunRecord> read(ResultsDatabase db, String runName) {
        Optional<Long> id = db.runId(runName);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        MeasurementTable measurements = new MeasurementTable(db);
        // the fit uses each trained model's canonical (measure-stage) MSRS, as fit-expected does by default
        List<MeasurementTable.DepthPoint> depthPoints = CanonicalMeasurements.read(db).depthPoints(false, false).stream()
                .map(p -> p.source().depthPoint()).toList();
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT final_top1, params, flops, config_hash, versions, "
                + "started_at, finished_at, train_seconds FROM runs WHERE id = ?")) {
            ps.setLong(1, id.get());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new RunRecord(RunNotes.status(db, runName), nullable(rs, 1), count(rs, 2), count(rs, 3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), nullable(rs, 8), db.epochs(id.get()),
                        measurements.trainingCurve(id.get()), depthPoints));
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read run " + runName + ": " + e.getMessage(), e);
        }
    }

    private static Long count(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
