package fr.logement.gateway.journal;

import fr.logement.gateway.journal.JournalEntry.Direction;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes and reads the message journal (table journal_entry); append-only. */
public final class Journal {
    private final DataSource db;
    private final Clock clock;

    public Journal(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(String messageId, String flow, String partnerId, Direction direction, String status,
                       String bodyDigest, String purpose, List<String> sent, List<String> dropped,
                       List<String> droppedPaths, String detail) {
        String sql = "insert into journal_entry (message_id, flow, partner_id, direction, recorded_at, status, "
                + "body_digest, purpose, categories_sent, categories_dropped, dropped_paths, detail) "
                + "values (?,?,?,?,?,?,?,?,?,?,?,?)";
        Transactions.inTransaction(db, "write the journal", c -> {      // joins the caller's transaction, if any
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, messageId);
                ps.setString(2, flow);
                ps.setString(3, partnerId);
                ps.setString(4, direction.name());
                ps.setTimestamp(5, Timestamp.from(clock.instant()));
                ps.setString(6, status);
                ps.setString(7, bodyDigest);
                ps.setString(8, purpose);
                ps.setString(9, join(sent, 1000));
                ps.setString(10, join(dropped, 1000));
                ps.setString(11, join(droppedPaths, 4000));
                ps.setString(12, truncate(detail, 1000));
                ps.executeUpdate();
            }
            return null;
        });
    }

    public List<JournalEntry> entriesOf(String messageId) {
        String sql = "select * from journal_entry where message_id = ? order by id";
        List<JournalEntry> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the journal", e);
        }
        return out;
    }

    public long count() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("select count(*) from journal_entry");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the journal", e);
        }
    }

    private static JournalEntry read(ResultSet rs) throws SQLException {
        return new JournalEntry(rs.getString("message_id"), rs.getString("flow"), rs.getString("partner_id"),
                Direction.valueOf(rs.getString("direction")), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("status"), rs.getString("body_digest"), rs.getString("purpose"),
                split(rs.getString("categories_sent")), split(rs.getString("categories_dropped")),
                split(rs.getString("dropped_paths")), rs.getString("detail"));
    }

    static String join(List<String> values, int max) {
        if (values == null || values.isEmpty()) return null;
        return truncate(String.join(",", values), max);
    }

    static List<String> split(String value) {
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
