package org.redtest.report;

import org.redtest.RedTestException;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What the results database holds about one run, read once: its row in {@code runs}, its epochs, its
 * during-training MSRS probes, and every model's latest MSRS (for the expected-MSRS fit).
 */
record RunRecord(String status, Double finalTop1, Long params, Long flops, String configHash, String versions, String startedAt,
                 String finishedAt, Double trainSeconds, List<ResultsDatabase.EpochRecord> epochs,
                 List<MeasurementTable.EpochPoint> msrsProbes, List<MeasurementTable.DepthPoint> depthPoints) {

    static Optional<RunRecord> read(ResultsDatabase db, String runName) {
        Optional<Long> id = db.runId(runName);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        MeasurementTable measurements = new MeasurementTable(db);
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT status, final_top1, params, flops, config_hash, versions, "
                + "started_at, finished_at, train_seconds FROM runs WHERE id = ?")) {
            ps.setLong(1, id.get());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new RunRecord(rs.getString(1), nullable(rs, 2), count(rs, 3), count(rs, 4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), nullable(rs, 9), db.epochs(id.get()),
                        measurements.trainingCurve(id.get()), measurements.depthPoints(false)));
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read run " + runName + ": " + e.getMessage());
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
