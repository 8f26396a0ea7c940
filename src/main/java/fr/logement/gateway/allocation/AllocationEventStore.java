package fr.logement.gateway.allocation;

import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.journal.GroupCommit;
import fr.logement.gateway.journal.Transactions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Tables allocation_event and score_notice: accepted events, their receipts, and the score notices they gave. */
public final class AllocationEventStore {
    /** Reasons whose points are capped together. */
    static final Set<String> CAPPED = Set.of("file_not_transmitted", "offer_taken_back");

    private final DataSource db;
    private GroupCommit group;

    public AllocationEventStore(DataSource db) {
        this.db = db;
    }

    /** Writes of concurrent requests share commits (see {@link GroupCommit}); without it, one commit each. */
    public AllocationEventStore committingWith(GroupCommit group) {
        this.group = group;
        return this;
    }

    /** Thrown when another request stored the same (landlord, message id) first. */
    public static final class AlreadyStored extends RuntimeException {
        AlreadyStored() {
            super("already stored", null, false, false);
        }
    }

    public Optional<StoredEvent> find(String landlordId, String messageId) {
        List<StoredEvent> l = query("select * from allocation_event where landlord_id = ? and message_id = ?",
                landlordId, messageId);
        return l.stream().findFirst();
    }

    /** Every event of a designation, oldest first. */
    public List<StoredEvent> ofDesignation(String designationMessageId) {
        return query("select * from allocation_event where designation_message_id = ? order by received_at, message_id",
                designationMessageId, null);
    }

    /** Stores the event and its score notices in one transaction. */
    public void insert(StoredEvent e, List<ScoreNotice> notices) {
        String sql = "insert into allocation_event (landlord_id, message_id, event_type, designation_message_id, "
                + "numero_unique, decision, event_date, body_digest, channel, received_at, status, receipt, forwarded) "
                + "values (?,?,?,?,?,?,?,?,?,?,?,?,?)";
        String notice = "insert into score_notice (numero_unique, landlord_id, event_message_id, reason, points, created_at) "
                + "values (?,?,?,?,?,?)";
        Transactions.inTransaction(db, "store the allocation event", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); PreparedStatement pn = c.prepareStatement(notice)) {
                ps.setString(1, e.landlordId());
                ps.setString(2, e.messageId());
                ps.setString(3, e.type());
                ps.setString(4, e.designationMessageId());
                ps.setString(5, e.numeroUnique());
                ps.setString(6, e.decision());
                ps.setDate(7, Date.valueOf(e.eventDate()));
                ps.setString(8, e.bodyDigest());
                ps.setString(9, e.channel());
                ps.setTimestamp(10, Timestamp.from(e.receivedAt()));
                ps.setString(11, e.status());
                ps.setString(12, e.receipt());
                ps.setString(13, e.forwarded());
                ps.executeUpdate();
                for (ScoreNotice n : notices) {
                    pn.setString(1, n.numeroUnique());
                    pn.setString(2, e.landlordId());
                    pn.setString(3, e.messageId());
                    pn.setString(4, n.reason());
                    pn.setInt(5, n.points());
                    pn.setTimestamp(6, Timestamp.from(e.receivedAt()));
                    pn.executeUpdate();
                }
            } catch (SQLException ex) {
                if (ex instanceof SQLIntegrityConstraintViolationException || "23505".equals(ex.getSQLState())) {
                    throw new AlreadyStored();            // another request stored this message id first
                }
                throw ex;
            }
            return null;
        });
    }

    public void markForwarded(String landlordId, String messageId) {
        Transactions.inTransaction(db, "update the allocation event", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update allocation_event set status = ? where landlord_id = ? and message_id = ?")) {
                ps.setString(1, StoredEvent.FORWARDED);
                ps.setString(2, landlordId);
                ps.setString(3, messageId);
                return ps.executeUpdate();
            }
        });
    }

    /** Runs {@code work} in one transaction: what the store, the journal and the audit trail write in it commits once. */
    public <T> T together(String what, Transactions.Work<T> work) {
        return group == null ? Transactions.inTransaction(db, what, work) : group.run(what, work);
    }

    /** The score notices an event gave. */
    public List<ScoreNotice> noticesOf(String landlordId, String messageId) {
        List<ScoreNotice> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select numero_unique, reason, points from score_notice where landlord_id = ? and event_message_id = ? "
                        + "order by numero_unique")) {
            ps.setString(1, landlordId);
            ps.setString(2, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new ScoreNotice(rs.getString(1), rs.getString(2), rs.getInt(3)));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read score notices", e);
        }
        return out;
    }

    /** Points already given to an applicant for the capped reasons. */
    public int cappedPointsOf(String numeroUnique) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(sum(points), 0) from score_notice where numero_unique = ? and reason in (?, ?)")) {
            ps.setString(1, numeroUnique);
            var it = CAPPED.stream().sorted().iterator();
            ps.setString(2, it.next());
            ps.setString(3, it.next());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read score notices", e);
        }
    }

    private List<StoredEvent> query(String sql, String a, String b) {
        List<StoredEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            if (b != null) ps.setString(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getString("landlord_id"), rs.getString("message_id"),
                            rs.getString("event_type"), rs.getString("designation_message_id"),
                            rs.getString("numero_unique"), rs.getString("decision"),
                            rs.getDate("event_date").toLocalDate(), rs.getString("body_digest"),
                            rs.getString("channel"), rs.getTimestamp("received_at").toInstant(),
                            rs.getString("status"), rs.getString("receipt"), rs.getString("forwarded")));
                }
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read allocation events", e);
        }
        return out;
    }
}
