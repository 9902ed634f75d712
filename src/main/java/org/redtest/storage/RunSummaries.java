package org.redtest.storage;

import org.redtest.RedTestException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line per run of the results database, as {@code runs} and {@code compare} show it. For a run
 * that has not finished, accuracy, loss and time are those of its last recorded epoch.
 */
public final class RunSummaries {
    /**
     * Nullable numbers are absent in the database (a run without epochs, a row from an older version); {@code error}
     * says why a 'failed' run failed.
     */
    public record RunSummary(long id, String name, String kind, String status, RunOwner owner, String dataset,
                             String modelSpec, Long params, Long flops, int epochsPlanned, int epochsDone,
                             Double top1, Double loss, Double trainSeconds, String startedAt, String finishedAt,
                             String error) {
        /** The status as people should read it ("running (process gone)" for a killed run). */
        public String statusText() {
            return RunStatusText.of(status, owner);
        }
    }

    private static final String SELECT = """
            SELECT r.id, r.name, r.kind, r.status, r.owner_pid, r.owner_host, r.owner_started, r.dataset, r.model_spec,
                   r.params, r.flops, r.epochs_planned,
                   (SELECT MAX(epoch) FROM epochs e WHERE e.run_id = r.id),
                   COALESCE(r.final_top1, (SELECT test_top1 FROM epochs e WHERE e.run_id = r.id ORDER BY epoch DESC LIMIT 1)),
                   COALESCE(r.final_loss, (SELECT test_loss FROM epochs e WHERE e.run_id = r.id ORDER BY epoch DESC LIMIT 1)),
                   COALESCE(r.train_seconds, (SELECT SUM(seconds) FROM epochs e WHERE e.run_id = r.id)),
                   r.started_at, r.finished_at, r.error
            FROM runs r""";

    private final ResultsDatabase db;

    public RunSummaries(ResultsDatabase db) {
        this.db = db;
    }

    public List<RunSummary> all() {
        return query(SELECT + " ORDER BY r.id", null);
    }

    public Optional<RunSummary> named(String name) {
        return query(SELECT + " WHERE r.name = ?", name).stream().findFirst();
    }

    private List<RunSummary> query(String sql, String name) {
        List<RunSummary> out = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(5);
                    RunOwner owner = rs.wasNull() ? null : new RunOwner(pid, rs.getString(6), rs.getString(7));
                    out.add(new RunSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), owner,
                            rs.getString(8), rs.getString(9), nullableLong(rs, 10), nullableLong(rs, 11), rs.getInt(12),
                            rs.getInt(13), nullableDouble(rs, 14), nullableDouble(rs, 15), nullableDouble(rs, 16),
                            rs.getString(17), rs.getString(18), rs.getString(19)));
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read runs: " + e.getMessage(), e);
        }
        return out;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
