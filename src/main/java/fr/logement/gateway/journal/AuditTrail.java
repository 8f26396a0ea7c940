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
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
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
                        String outcome, String detail, String requestNumbers) {}

    /**
     * One entry about a message: the request numbers it concerned are those the gateway recorded for that message
     * id (designation candidates, allocation events, employer validations and choices), looked up in the same
     * transaction.
     */
    public void record(String actor, String actorUser, String nature, String messageId, String outcome, String detail) {
        record(actor, actorUser, nature, messageId, outcome, detail, null);
    }

    /** One entry naming the request numbers concerned explicitly (in addition to those known for the message). */
    public void record(String actor, String actorUser, String nature, String messageId, String outcome, String detail,
                       Collection<String> requestNumbers) {
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
            String nurs = requestNumbers(c, messageId, requestNumbers);
            String hash = hash(prev, at, who, actorUser, nature, messageId, outcome, what, nurs);
            long id;
            try (PreparedStatement ps = c.prepareStatement("insert into audit_entry (recorded_at, actor, actor_user, "
                    + "nature, message_id, outcome, detail, prev_hash, entry_hash, request_numbers) values (?,?,?,?,?,?,?,?,?,?)",
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
                ps.setString(10, nurs);
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

    private static final String[] NUMBERS_OF_A_MESSAGE = {
            "select numero_unique from designation_candidate where message_id = ?",
            "select numero_unique from allocation_event where message_id = ? and numero_unique is not null",
            "select numero_unique from employer_validation where message_id = ?",
            "select numero_unique from employee_choice where message_id = ?"};

    /** The sorted, comma-separated request numbers concerned (null when none is known). */
    private static String requestNumbers(Connection c, String messageId, Collection<String> given) throws SQLException {
        Set<String> nurs = new TreeSet<>();
        if (given != null) nurs.addAll(given);
        if (messageId != null) {
            for (String sql : NUMBERS_OF_A_MESSAGE) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, messageId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) nurs.add(rs.getString(1));
                    }
                }
            }
        }
        return nurs.isEmpty() ? null : Journal.truncate(String.join(",", nurs), 2000);
    }

    static String hash(String prev, Instant at, String actor, String actorUser, String nature, String messageId,
                       String outcome, String detail, String requestNumbers) {
        String line = String.join("\u001f", prev, at.toString(), actor, String.valueOf(actorUser), nature,
                String.valueOf(messageId), outcome, String.valueOf(detail));
        if (requestNumbers != null) line += "\u001f" + requestNumbers;   // entries from before V9 hash as they did
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
                        rs.getString("outcome"), rs.getString("detail"), rs.getString("request_numbers"));
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

    /** The entries that concerned request {@code nur} (the caller audits this reading). */
    public List<Entry> concerning(String nur) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : query("select * from audit_entry where request_numbers like ? order by id", "%" + nur + "%")) {
            if (e.requestNumbers() != null && List.of(e.requestNumbers().split(",")).contains(nur)) out.add(e);
        }
        return out;
    }

    public List<Entry> all() {
        return query("select * from audit_entry order by id", null);
    }

    private List<Entry> query(String sql, String parameter) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) ps.setString(1, parameter);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                out.add(new Entry(rs.getTimestamp("recorded_at").toInstant(), rs.getString("actor"),
                        rs.getString("actor_user"), rs.getString("nature"), rs.getString("message_id"),
                        rs.getString("outcome"), rs.getString("detail"), rs.getString("request_numbers")));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the audit trail", e);
        }
        return out;
    }
}
