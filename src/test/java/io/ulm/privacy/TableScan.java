package io.ulm.privacy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches every base table of every schema of the database (event payloads, key vault, outbox, dedup, audit copies
 * included) for a text, case-insensitively: text, JSON and array columns as text, binary columns as their bytes
 * (printable ASCII as is, {@code encode(…, 'escape')}), so JSON event payloads stored as bytea are read as JSON.
 */
final class TableScan {

    private TableScan() {
    }

    /** Every table scanned, schema-qualified. */
    static List<String> tables(DataSource db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                ORDER BY 1""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** The tables holding {@code text} somewhere, with the number of rows that do. */
    static Map<String, Long> find(DataSource db, String text) throws SQLException {
        Map<String, Long> found = new LinkedHashMap<>();
        try (Connection c = db.getConnection()) {
            for (String table : tables(db)) {
                String[] name = table.split("\\.", 2);
                List<String> tests = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                        + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
                    ps.setString(1, name[0]);
                    ps.setString(2, name[1]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String column = "\"" + rs.getString(1) + "\"";
                            String expr = "bytea".equals(rs.getString(2)) ? "encode(" + column + ", 'escape')" : column + "::text";
                            tests.add("strpos(lower(" + expr + "), lower(?)) > 0");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM \"" + name[0] + "\".\"" + name[1] + "\" WHERE "
                        + String.join(" OR ", tests))) {
                    for (int i = 1; i <= tests.size(); i++) {
                        ps.setString(i, text);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.put(table, rs.getLong(1));
                        }
                    }
                }
            }
        }
        return found;
    }
}
