package org.redtest.testing;

import org.redtest.storage.ResultsDatabase;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A results database's rows as text, for exact comparisons between runs (shared by the engine tests). */
public final class DatabaseRows {
    private DatabaseRows() {
    }

    /** One string per row, columns joined by '|', doubles in hexadecimal so equal means bit-equal. */
    public static List<String> query(Path db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultsDatabase d = ResultsDatabase.open(db); Statement st = d.connection().createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= n; c++) {
                    Object v = rs.getObject(c);
                    row.append(v instanceof Double x ? Double.toHexString(x) : String.valueOf(v)).append(c < n ? "|" : "");
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
