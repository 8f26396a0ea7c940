package fr.logement.gateway.designation;

import fr.logement.gateway.designation.DesignationStatus.State;
import fr.logement.gateway.journal.JournalUnavailableException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The delivery state of every designation (table designation), so ALS can ask and consumers stay idempotent. */
public final class DesignationRegistry {
    private final DataSource db;
    private final Clock clock;

    public DesignationRegistry(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void create(String messageId, String designationId, String submittedBy, String landlordId, String rplsId,
                       Instant deadline) {
        String sql = "insert into designation (message_id, designation_id, submitted_by, landlord_id, rpls_id, deadline, "
                + "status, received_at, updated_at) values (?,?,?,?,?,?,?,?,?)";
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, messageId);
            ps.setString(2, designationId);
            ps.setString(3, submittedBy);
            ps.setString(4, landlordId);
            ps.setString(5, rplsId);
            ps.setTimestamp(6, Timestamp.from(deadline));
            ps.setString(7, State.RECEIVED.name());
            ps.setTimestamp(8, now);
            ps.setTimestamp(9, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record the designation", e);
        }
    }

    /** Records the request number and rank of each candidate, so later events can be checked against them. */
    public void addCandidates(String messageId, Map<String, Integer> rankByNumeroUnique) {
        String sql = "insert into designation_candidate (message_id, candidate_rank, numero_unique) values (?,?,?)";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (var e : rankByNumeroUnique.entrySet()) {
                ps.setString(1, messageId);
                ps.setInt(2, e.getValue());
                ps.setString(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record the designation's candidates", e);
        }
    }

    /** Request number → rank of the designation's candidates. */
    public Map<String, Integer> candidates(String messageId) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        String sql = "select numero_unique, candidate_rank from designation_candidate where message_id = ? order by candidate_rank";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the designation's candidates", e);
        }
        return out;
    }

    /** The designations ALS made under this id (one per submitter; in practice one). */
    public java.util.List<DesignationStatus> byDesignationId(String designationId) {
        java.util.List<DesignationStatus> out = new java.util.ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select message_id from designation where designation_id = ?")) {
            ps.setString(1, designationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(byMessageId(rs.getString(1)).orElseThrow());
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the designation", e);
        }
        return out;
    }

    public Optional<DesignationStatus> byMessageId(String messageId) {
        return query("select * from designation where message_id = ?", messageId, null);
    }

    public Optional<DesignationStatus> byDesignationId(String submittedBy, String designationId) {
        return query("select * from designation where submitted_by = ? and designation_id = ?", submittedBy, designationId);
    }

    /**
     * True when an earlier designation for the same landlord and offer is still waiting for delivery: this one must
     * wait for it, so that a landlord gets an offer's designations in the order ALS sent them, even when an earlier
     * attempt failed and is being retried (the broker's redelivery delay would otherwise let it be overtaken).
     */
    public boolean hasEarlierWaiting(DesignationStatus s) {
        String sql = "select 1 from designation where landlord_id = ? and rpls_id = ? and status = ? and received_at < ? "
                + "and message_id <> ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, s.landlordId());
            ps.setString(2, s.rplsId());
            ps.setString(3, State.QUEUED.name());
            ps.setTimestamp(4, Timestamp.from(s.receivedAt()));
            ps.setString(5, s.messageId());
            ps.setMaxRows(1);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the designations of the offer", e);
        }
    }

    public void setState(String messageId, State state, String reason) {
        update("update designation set status = ?, status_reason = ?, updated_at = ? where message_id = ?",
                state.name(), reason, messageId);
    }

    /** RECEIVED → QUEUED once the broker holds it; a delivery that already happened is never overwritten. */
    public void markQueued(String messageId) {
        String sql = "update designation set status = ?, updated_at = ? where message_id = ? and status = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, State.QUEUED.name());
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, messageId);
            ps.setString(4, State.RECEIVED.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot update the designation", e);
        }
    }

    public void attemptFailed(String messageId, String reason) {
        String sql = "update designation set attempts = attempts + 1, status_reason = ?, updated_at = ? where message_id = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, reason);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot update the designation", e);
        }
    }

    public void delivered(String messageId, String receiptId, String receiptDigest) {
        String sql = "update designation set status = ?, status_reason = null, attempts = attempts + 1, receipt_id = ?, "
                + "receipt_digest = ?, delivered_at = ?, updated_at = ? where message_id = ?";
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, State.DELIVERED.name());
            ps.setString(2, receiptId);
            ps.setString(3, receiptDigest);
            ps.setTimestamp(4, now);
            ps.setTimestamp(5, now);
            ps.setString(6, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot update the designation", e);
        }
    }

    private void update(String sql, String state, String reason, String messageId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state);
            ps.setString(2, reason);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            ps.setString(4, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot update the designation", e);
        }
    }

    private Optional<DesignationStatus> query(String sql, String a, String b) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            if (b != null) ps.setString(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new DesignationStatus(rs.getString("message_id"), rs.getString("designation_id"),
                        rs.getString("submitted_by"), rs.getString("landlord_id"), rs.getString("rpls_id"),
                        instant(rs, "deadline"), State.valueOf(rs.getString("status")), rs.getString("status_reason"),
                        instant(rs, "received_at"), instant(rs, "updated_at"), rs.getInt("attempts"),
                        rs.getString("receipt_id"), rs.getString("receipt_digest"), instant(rs, "delivered_at")));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the designation", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
