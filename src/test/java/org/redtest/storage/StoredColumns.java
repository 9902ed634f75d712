package org.redtest.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helper: the current row of a result set holds the expected value in each named column. */
final class StoredColumns {
    private StoredColumns() {
    }

    /** Longs and doubles are read as such, anything else as text. */
    static void assertColumns(Map<String, Object> expected, ResultSet rs) throws SQLException {
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            String column = e.getKey();
            Object actual = e.getValue() instanceof Long ? (Object) rs.getLong(column)
                    : e.getValue() instanceof Double ? (Object) rs.getDouble(column) : rs.getString(column);
            assertEquals(e.getValue(), actual, column);
        }
    }
}
