package org.redtest.storage;

import org.redtest.RedTestException;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database rows of some runs (the {@code runs} row and every row that refers to it), read from one database and
 * written into another. A Spark task trains in a scratch database of its own, since only the driver may write
 * the suite's; it sends these rows back, and the driver writes them as the local engine would have, under new ids.
 */
public final class RunRows implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The tables whose rows refer to a run (run_id), in the order they are written. */
    private static final List<String> CHILD_TABLES = List.of("epochs", "evaluations", "measurements", "prunings");

    /** One run: its row of {@code runs} without the id, and its rows of each child table without run_id. */
    private record Run(LinkedHashMap<String, Object> row, LinkedHashMap<String, ArrayList<LinkedHashMap<String, Object>>> children)
            implements Serializable {
    }

    private final ArrayList<Run> runs;

    private RunRows(ArrayList<Run> runs) {
        this.runs = runs;
    }

    /** The rows of the runs named {@code names} that {@code db} holds. */
    public static RunRows read(ResultsDatabase db, List<String> names) {
        Connection c = db.connection();
        ArrayList<Run> runs = new ArrayList<>();
        try {
            for (String name : names) {
                for (LinkedHashMap<String, Object> row : select(c, "SELECT * FROM runs WHERE name = ?", name)) {
                    Object id = row.remove("id");
                    LinkedHashMap<String, ArrayList<LinkedHashMap<String, Object>>> children = new LinkedHashMap<>();
                    for (String table : CHILD_TABLES) {
                        if (exists(c, table)) {
                            ArrayList<LinkedHashMap<String, Object>> rows = select(c, "SELECT * FROM " + table
                                    + " WHERE run_id = ? ORDER BY rowid", id);
                            rows.forEach(r -> {
                                r.remove("run_id");
                                r.remove("id"); // an own primary key (measurements, evaluations) is given anew
                            });
                            children.put(table, rows);
                        }
                    }
                    runs.add(new Run(row, children));
                }
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read the rows of runs " + names + ": "
                    + e.getMessage(), e);
        }
        return new RunRows(runs);
    }

    /** The same rows with {@code from} replaced by {@code to} in every text value (a scratch directory by the real one). */
    public RunRows withText(String from, String to) {
        ArrayList<Run> replaced = new ArrayList<>();
        for (Run run : runs) {
            LinkedHashMap<String, ArrayList<LinkedHashMap<String, Object>>> children = new LinkedHashMap<>();
            run.children().forEach((table, rows) -> {
                ArrayList<LinkedHashMap<String, Object>> out = new ArrayList<>();
                rows.forEach(r -> out.add(replace(r, from, to)));
                children.put(table, out);
            });
            replaced.add(new Run(replace(run.row(), from, to), children));
        }
        return new RunRows(replaced);
    }

    public int runs() {
        return runs.size();
    }

    /** Rows of {@code table} in all, over every run. */
    public int rows(String table) {
        return runs.stream().mapToInt(r -> r.children().getOrDefault(table, new ArrayList<>()).size()).sum();
    }

    /**
     * Writes the rows into {@code db} in one transaction. A run of the same name already there (an earlier attempt
     * that did not finish) keeps its id, takes these values, and its rows in the tables these rows fill are
     * replaced (they are the whole of a finished run); rows of other tables that refer to it are left alone.
     */
    public void writeInto(ResultsDatabase db) {
        Connection c = db.connection();
        try {
            if (rows("measurements") > 0) {
                new MeasurementTable(db); // creates the table the way its own code does, when it is not there yet
            }
            if (rows("prunings") > 0) {
                new PruningTable(db);
            }
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (Run run : runs) {
                    String name = (String) run.row().get("name");
                    ArrayList<LinkedHashMap<String, Object>> old = select(c, "SELECT id FROM runs WHERE name = ?", name);
                    long id = old.isEmpty() ? insert(c, "runs", run.row(), null) : ((Number) old.get(0).get("id")).longValue();
                    if (!old.isEmpty()) {
                        update(c, run.row(), id);
                        for (String table : run.children().keySet()) {
                            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                                ps.setLong(1, id);
                                ps.executeUpdate();
                            }
                        }
                    }
                    for (var table : run.children().entrySet()) {
                        for (LinkedHashMap<String, Object> row : table.getValue()) {
                            insert(c, table.getKey(), row, id);
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot write the rows of a run trained elsewhere: "
                    + e.getMessage(), e);
        }
    }

    private static void update(Connection c, Map<String, Object> row, long id) throws SQLException {
        List<String> columns = new ArrayList<>(row.keySet());
        String sql = "UPDATE runs SET " + String.join(", ", columns.stream().map(k -> k + " = ?").toList()) + " WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            for (String column : columns) {
                ps.setObject(++i, row.get(column));
            }
            ps.setLong(++i, id);
            ps.executeUpdate();
        }
    }

    private static long insert(Connection c, String table, Map<String, Object> row, Long runId) throws SQLException {
        List<String> columns = new ArrayList<>(row.keySet());
        if (runId != null) {
            columns.add("run_id");
        }
        String sql = "INSERT INTO " + table + "(" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(x -> "?").toList()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            int i = 0;
            for (String column : row.keySet()) {
                ps.setObject(++i, row.get(column));
            }
            if (runId != null) {
                ps.setLong(++i, runId);
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }

    private static LinkedHashMap<String, Object> replace(Map<String, Object> row, String from, String to) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof String s ? s.replace(from, to) : v));
        return out;
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ArrayList<LinkedHashMap<String, Object>> select(Connection c, String sql, Object key) throws SQLException {
        ArrayList<LinkedHashMap<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData m = rs.getMetaData();
                while (rs.next()) {
                    LinkedHashMap<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= m.getColumnCount(); i++) {
                        row.put(m.getColumnName(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
