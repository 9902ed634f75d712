package org.redtest.storage;

import org.redtest.RedTestException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * Evaluated NAS candidates, keyed by (budget key, cell index): a candidate evaluated under a budget
 * is never trained again. Several search processes may share the file: a candidate is claimed in
 * an immediate transaction before it is trained, so no two processes train the same one; a claim
 * whose process has died (same host, pid gone) may be taken over, which is how a killed search
 * resumes.
 */
public final class CandidateStore {
    private final ResultsDatabase db;
    private final String worker;

    public CandidateStore(ResultsDatabase db) {
        this(db, ProcessHandle.current().pid());
    }

    /** {@code pid} identifies this worker's claims (tests use other values to play other processes). */
    CandidateStore(ResultsDatabase db, long pid) {
        this.db = db;
        this.worker = hostName() + ":" + pid;
        try (Statement s = db.connection().createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS nas_candidates (
                      budget_key TEXT NOT NULL,
                      arch_index INTEGER NOT NULL,
                      arch TEXT NOT NULL,
                      status TEXT NOT NULL,
                      claimed_by TEXT,
                      claimed_at TEXT,
                      accuracy REAL,
                      params INTEGER,
                      flops INTEGER,
                      latency REAL,
                      msrs_mean REAL,
                      msrs_std REAL,
                      train_seconds REAL,
                      finished_at TEXT,
                      versions TEXT,
                      msrs_dropped_batches INTEGER,
                      measure_seconds REAL,
                      host TEXT,
                      attempts INTEGER,
                      error TEXT,
                      PRIMARY KEY (budget_key, arch_index))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS nas_budgets (
                      budget_key TEXT PRIMARY KEY,
                      definition TEXT NOT NULL,
                      created_at TEXT)""");
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot create table nas_candidates: " + e.getMessage(), e);
        }
    }

    /** Records what a budget key stands for (data set, seed, skeleton, training budget, measurement) as JSON. */
    public void registerBudget(String budgetKey, String definitionJson) {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "INSERT OR IGNORE INTO nas_budgets(budget_key, definition, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, budgetKey);
            ps.setString(2, definitionJson);
            ps.setString(3, Instant.now().toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record budget " + budgetKey + ": " + e.getMessage(), e);
        }
    }

    public record Result(int index, String arch, CandidateStatus status, double accuracy, long params, long flops, double latency,
                         double msrsMean, double msrsStd, double trainSeconds) {
    }

    /**
     * Claims a candidate for this worker. False when it is already evaluated, or claimed by a live
     * worker; true when it was free or its claimant died.
     */
    public boolean claim(String budgetKey, int index, String arch) {
        Connection c = db.connection();
        try {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                // the connection begins transactions IMMEDIATE (ResultsDatabase): the write lock is
                // held from the first read, so two processes cannot both see the candidate as free
                CandidateStatus status = null;
                String owner = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT status, claimed_by FROM nas_candidates WHERE budget_key = ? AND arch_index = ?")) {
                    ps.setString(1, budgetKey);
                    ps.setInt(2, index);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            status = CandidateStatus.parse(rs.getString(1));
                            owner = rs.getString(2);
                        }
                    }
                }
                boolean free = status == null
                        || (status == CandidateStatus.CLAIMED && (worker.equals(owner) || !isAlive(owner)));
                if (free) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            INSERT OR REPLACE INTO nas_candidates(budget_key, arch_index, arch, status, claimed_by, claimed_at)
                            VALUES (?, ?, ?, 'claimed', ?, ?)""")) {
                        ps.setString(1, budgetKey);
                        ps.setInt(2, index);
                        ps.setString(3, arch);
                        ps.setString(4, worker);
                        ps.setString(5, Instant.now().toString());
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return free;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot claim candidate " + index + ": " + e.getMessage(), e);
        }
    }

    public void complete(String budgetKey, int index, CandidateStatus status, double accuracy, long params, long flops,
                         double latency, double msrsMean, double msrsStd, double trainSeconds, String versions) {
        try (PreparedStatement ps = db.connection().prepareStatement("""
                UPDATE nas_candidates SET status = ?, accuracy = ?, params = ?, flops = ?, latency = ?, msrs_mean = ?,
                  msrs_std = ?, train_seconds = ?, finished_at = ?, versions = ? WHERE budget_key = ? AND arch_index = ?""")) {
            int i = 0;
            ps.setString(++i, status.word());
            SqlValues.setReal(ps, ++i, accuracy);
            ps.setLong(++i, params);
            ps.setLong(++i, flops);
            SqlValues.setReal(ps, ++i, latency);
            SqlValues.setReal(ps, ++i, msrsMean);
            SqlValues.setReal(ps, ++i, msrsStd);
            SqlValues.setReal(ps, ++i, trainSeconds);
            ps.setString(++i, Instant.now().toString());
            ps.setString(++i, versions);
            ps.setString(++i, budgetKey);
            ps.setInt(++i, index);
            if (ps.executeUpdate() != 1) {
                throw new RedTestException("candidate " + index + " was never claimed under budget " + budgetKey);
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record candidate " + index + ": " + e.getMessage(), e);
        }
    }

    /** Records a claimed candidate's outcome, from whichever engine evaluated it. */
    public void record(String budgetKey, org.redtest.storage.CandidateOutcome o) {
        try (PreparedStatement ps = db.connection().prepareStatement("""
                UPDATE nas_candidates SET status = ?, accuracy = ?, params = ?, flops = ?, latency = ?, msrs_mean = ?,
                  msrs_std = ?, train_seconds = ?, finished_at = ?, versions = ?, msrs_dropped_batches = ?,
                  measure_seconds = ?, host = ?, attempts = ?, error = ? WHERE budget_key = ? AND arch_index = ?""")) {
            boolean failed = o.status() == CandidateStatus.FAILED;
            int i = 0;
            ps.setString(++i, o.status().word());
            SqlValues.setReal(ps, ++i, o.accuracy());
            ps.setObject(++i, failed ? null : o.params());
            ps.setObject(++i, failed ? null : o.flops());
            SqlValues.setReal(ps, ++i, o.latency());
            SqlValues.setReal(ps, ++i, o.msrsMean());
            SqlValues.setReal(ps, ++i, o.msrsStd());
            SqlValues.setReal(ps, ++i, o.trainSeconds());
            ps.setString(++i, Instant.now().toString());
            ps.setString(++i, o.versions());
            ps.setObject(++i, failed ? null : o.msrsDroppedBatches());
            SqlValues.setReal(ps, ++i, o.measureSeconds());
            ps.setString(++i, o.host());
            ps.setInt(++i, o.attempts());
            ps.setString(++i, o.error());
            ps.setString(++i, budgetKey);
            ps.setInt(++i, o.index());
            if (ps.executeUpdate() != 1) {
                throw new RedTestException("candidate " + o.index() + " was never claimed under budget " + budgetKey);
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot record candidate " + o.index() + ": " + e.getMessage());
        }
    }

    /** Candidates under a budget that are claimed but not finished (another process is training them, or died). */
    public java.util.Set<Integer> claimedIndices(String budgetKey) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT arch_index FROM nas_candidates WHERE budget_key = ? AND status = 'claimed'")) {
            ps.setString(1, budgetKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read claims: " + e.getMessage(), e);
        }
        return out;
    }

    /** The finished result (done, degenerate or failed) of a candidate, if any. */
    public Optional<Result> result(String budgetKey, int index) {
        try (PreparedStatement ps = db.connection().prepareStatement("""
                SELECT arch, status, accuracy, params, flops, latency, msrs_mean, msrs_std, train_seconds
                FROM nas_candidates WHERE budget_key = ? AND arch_index = ? AND status <> 'claimed'""")) {
            ps.setString(1, budgetKey);
            ps.setInt(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Result(index, rs.getString(1), CandidateStatus.parse(rs.getString(2)), real(rs, 3), rs.getLong(4),
                        rs.getLong(5), real(rs, 6), real(rs, 7), real(rs, 8), real(rs, 9)));
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read candidate " + index + ": " + e.getMessage(), e);
        }
    }

    /** Every finished candidate (done, degenerate or failed) under a budget, by index. */
    public java.util.List<Result> results(String budgetKey) {
        java.util.List<Result> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement("""
                SELECT arch_index, arch, status, accuracy, params, flops, latency, msrs_mean, msrs_std, train_seconds
                FROM nas_candidates WHERE budget_key = ? AND status <> 'claimed' ORDER BY arch_index""")) {
            ps.setString(1, budgetKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Result(rs.getInt(1), rs.getString(2), CandidateStatus.parse(rs.getString(3)), real(rs, 4), rs.getLong(5),
                            rs.getLong(6), real(rs, 7), real(rs, 8), real(rs, 9), real(rs, 10)));
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read candidates: " + e.getMessage(), e);
        }
        return out;
    }

    private static double real(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** A claim by a process on this host that no longer runs is dead; other hosts' claims are trusted. */
    private static boolean isAlive(String owner) {
        if (owner == null) {
            return false;
        }
        int colon = owner.lastIndexOf(':');
        if (colon < 0 || !owner.substring(0, colon).equals(hostName())) {
            return true;
        }
        try {
            long pid = Long.parseLong(owner.substring(colon + 1));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
