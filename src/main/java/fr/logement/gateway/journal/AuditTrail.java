package fr.logement.gateway.journal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    /** The hash the oldest kept entry must follow after a purge (null: nothing was ever purged). */
    private String anchor() {
        return Transactions.inTransaction(db, "read the audit trail", c -> {
            try (PreparedStatement ps = c.prepareStatement("select anchor_hash from audit_head where id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /**
     * Deletes the entries recorded before {@code cutoff} (retention), keeping the chain verifiable: the previous-hash
     * of the oldest entry kept becomes the anchor. Returns how many were deleted.
     */
    public int purgeBefore(Instant cutoff) {
        return Transactions.inTransaction(db, "purge the audit trail", c -> {
            try (PreparedStatement lock = c.prepareStatement("select last_hash from audit_head where id = 1 for update");
                 ResultSet ignored = lock.executeQuery()) {
                // the head is locked: no entry is appended while the chain is cut
            }
            String anchor = null;
            try (PreparedStatement q = c.prepareStatement("select prev_hash from audit_entry where recorded_at >= ? "
                    + "and entry_hash is not null order by id")) {
                q.setTimestamp(1, Timestamp.from(cutoff));
                q.setMaxRows(1);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) anchor = rs.getString(1);
                }
            }
            int deleted;
            try (PreparedStatement d = c.prepareStatement("delete from audit_entry where recorded_at < ?")) {
                d.setTimestamp(1, Timestamp.from(cutoff));
                deleted = d.executeUpdate();
            }
            if (deleted > 0) {
                try (PreparedStatement u = c.prepareStatement("update audit_head set anchor_hash = "
                        + "coalesce(?, last_hash) where id = 1")) {
                    u.setString(1, anchor);
                    u.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /** One audit row; {@code detail} must never hold personal data (a reason code, a status, a path). */
    public record Entry(Instant recordedAt, String actor, String actorUser, String nature, String messageId,
                        String outcome, String detail) {}

    public void record(String actor, String actorUser, String nature, String messageId, String outcome, String detail) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);   // what the database keeps
        String who = actor == null ? "unknown" : actor;
        String what = Journal.truncate(detail, 1000);
        Transactions.inTransaction(db, "write the audit trail", c -> {
            String prev;
            try (PreparedStatement head = c.prepareStatement("select last_hash from audit_head where id = 1 for update");
                 ResultSet rs = head.executeQuery()) {
                rs.next();
                prev = rs.getString(1);
            }
            String hash = hash(prev, at, who, actorUser, nature, messageId, outcome, what);
            long id;
            try (PreparedStatement ps = c.prepareStatement("insert into audit_entry (recorded_at, actor, actor_user, "
                    + "nature, message_id, outcome, detail, prev_hash, entry_hash) values (?,?,?,?,?,?,?,?,?)",
                    new String[]{"id"})) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, who);
                ps.setString(3, actorUser);
                ps.setString(4, nature);
                ps.setString(5, messageId);
                ps.setString(6, outcome);
                ps.setString(7, what);
                ps.setString(8, prev);
                ps.setString(9, hash);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement up = c.prepareStatement("update audit_head set last_id = ?, last_hash = ? where id = 1")) {
                up.setLong(1, id);
                up.setString(2, hash);
                up.executeUpdate();
            }
            return null;
        });
    }

    static String hash(String prev, Instant at, String actor, String actorUser, String nature, String messageId,
                       String outcome, String detail) {
        String line = String.join("\u001f", prev, at.toString(), actor, String.valueOf(actorUser), nature,
                String.valueOf(messageId), outcome, String.valueOf(detail));
        return Digests.sha256(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** What checking the chain found: how many entries, and the first one that does not hold, if any. */
    public record Verification(boolean intact, long entries, Long brokenAt, String reason) {}

    /**
     * Recomputes the chain from the first chained entry: each entry's hash over its content and the previous hash,
     * and the head's last hash. An altered, inserted or deleted entry breaks it.
     */
    public Verification verify() {
        long n = 0;
        String expectedPrev = anchor();
        long lastId = 0;
        String lastHash = null;
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select * from audit_entry where entry_hash is not null order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
                long id = rs.getLong("id");
                String prev = rs.getString("prev_hash");
                if (expectedPrev != null && !expectedPrev.equals(prev)) {
                    return new Verification(false, n, id, "does not follow the entry before it (one was deleted or altered)");
                }
                String recomputed = hash(prev, rs.getTimestamp("recorded_at").toInstant(), rs.getString("actor"),
                        rs.getString("actor_user"), rs.getString("nature"), rs.getString("message_id"),
                        rs.getString("outcome"), rs.getString("detail"));
                if (!recomputed.equals(rs.getString("entry_hash"))) {
                    return new Verification(false, n, id, "its content does not match its hash (altered)");
                }
                expectedPrev = recomputed;
                lastId = id;
                lastHash = recomputed;
            }
            try (PreparedStatement h = c.prepareStatement("select last_id, last_hash from audit_head where id = 1");
                 ResultSet head = h.executeQuery()) {
                head.next();
                if (n == 0) {
                    String start = expectedPrev == null ? "sha256:genesis" : expectedPrev;
                    return start.equals(head.getString(2)) ? new Verification(true, 0, null, null)
                            : new Verification(false, 0, head.getLong(1), "the last entries are missing (the chain's "
                            + "head is entry " + head.getLong(1) + ")");
                }
                if (head.getLong(1) != lastId || (lastHash != null && !lastHash.equals(head.getString(2)))) {
                    return new Verification(false, n, head.getLong(1), "the last entries are missing (the chain's head is "
                            + "entry " + head.getLong(1) + ")");
                }
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the audit trail", e);
        }
        return new Verification(true, n, null, null);
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
