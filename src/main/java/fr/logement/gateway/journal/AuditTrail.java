package fr.logement.gateway.journal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit trail: every access and transfer (who, when, what, on which message), append-only. */
public final class AuditTrail {
    private final DataSource db;
    private final Clock clock;

    public AuditTrail(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One audit row; {@code detail} must never hold personal data (a reason code, a status, a path). */
    public record Entry(Instant recordedAt, String actor, String actorUser, String nature, String messageId,
                        String outcome, String detail) {}

    public void record(String actor, String actorUser, String nature, String messageId, String outcome, String detail) {
        String sql = "insert into audit_entry (recorded_at, actor, actor_user, nature, message_id, outcome, detail) "
                + "values (?,?,?,?,?,?,?)";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, actor == null ? "unknown" : actor);
            ps.setString(3, actorUser);
            ps.setString(4, nature);
            ps.setString(5, messageId);
            ps.setString(6, outcome);
            ps.setString(7, Journal.truncate(detail, 1000));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot write the audit trail", e);
        }
    }

    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select * from audit_entry order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getTimestamp("recorded_at").toInstant(), rs.getString("actor"),
                        rs.getString("actor_user"), rs.getString("nature"), rs.getString("message_id"),
                        rs.getString("outcome"), rs.getString("detail")));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the audit trail", e);
        }
        return out;
    }
}
