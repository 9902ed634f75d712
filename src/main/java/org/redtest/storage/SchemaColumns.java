package org.redtest.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Columns added after a table's first release. SQLite has no {@code ADD COLUMN IF NOT EXISTS}, so a
 * database written by an earlier version is brought up to date here when it is opened; its old rows
 * keep NULL in the new columns.
 */
final class SchemaColumns {
    private SchemaColumns() {
    }

    static void addIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet columns = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                if (columns.getString("name").equals(column)) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }
}
