package org.redtest.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Parameter setters for nullable columns: a null id, or a NaN / infinite number, is stored as NULL. */
final class SqlValues {
    private SqlValues() {
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    static void setReal(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) {
            ps.setNull(index, Types.REAL);
        } else {
            ps.setDouble(index, value);
        }
    }
}
