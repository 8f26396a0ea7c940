package fr.logement.gateway.registry;

import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.journal.Transactions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Tables registry_record, registry_delivery and import_run: idempotency, earlier recipients, checkpoints. */
public final class RegistryStore {
    private final DataSource db;

    public RegistryStore(DataSource db) {
        this.db = db;
    }

    /** An import of one file: where it stands. */
    public record Run(String fileDigest, String senderId, String status, long recordsDone, String checkpoint, String report) {}

    /** A record kept (request number, version, file type). */
    public record Key(String requestNumber, int version, String fileType) {}

    /** A landlord that received a request. */
    public record Delivery(String requestNumber, String recipientId) {}

    public Optional<Run> run(String fileDigest) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select file_digest, sender_id, status, records_done, checkpoint, report from import_run where file_digest = ?")) {
            ps.setString(1, fileDigest);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6)));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read import runs", e);
        }
    }

    public void startRun(String fileDigest, String senderId, String fileName, String checkpoint, Instant now) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into import_run (file_digest, sender_id, file_name, status, records_done, checkpoint, started_at, "
                        + "updated_at) values (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, fileDigest);
            ps.setString(2, senderId);
            ps.setString(3, fileName.length() > 255 ? fileName.substring(0, 255) : fileName);
            ps.setString(4, "RUNNING");
            ps.setLong(5, 0);
            ps.setString(6, checkpoint);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record the import", e);
        }
    }

    /** Of these request numbers, the (number|version) pairs already kept. */
    public Set<String> existing(Collection<String> requestNumbers) {
        Set<String> out = new HashSet<>();
        forEachIn("select request_number, version from registry_record where request_number in ", requestNumbers,
                rs -> out.add(rs.getString(1) + "|" + rs.getInt(2)));
        return out;
    }

    /** Landlords that earlier received each of these requests. */
    public Map<String, Set<String>> previousRecipients(Collection<String> requestNumbers) {
        Map<String, Set<String>> out = new HashMap<>();
        forEachIn("select request_number, recipient_id from registry_delivery where request_number in ", requestNumbers,
                rs -> out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2)));
        return out;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void forEachIn(String sql, Collection<String> values, Row row) {
        if (values.isEmpty()) return;
        List<String> all = List.copyOf(new HashSet<>(values));
        try (Connection c = db.getConnection()) {
            for (int from = 0; from < all.size(); from += 1000) {
                List<String> part = all.subList(from, Math.min(all.size(), from + 1000));
                String in = "(" + "?,".repeat(part.size() - 1) + "?)";
                try (PreparedStatement ps = c.prepareStatement(sql + in)) {
                    for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) row.accept(rs);
                    }
                }
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read registry records", e);
        }
    }

    /** One chunk, atomically: the records kept, who received them, and the checkpoint after them. */
    public void commitChunk(String fileDigest, String sourceId, List<Key> records, List<Delivery> deliveries,
                            long recordsDone, String checkpoint, Instant now) {
        Transactions.inTransaction(db, "commit the import checkpoint", c -> {
            try (PreparedStatement r = c.prepareStatement("insert into registry_record (request_number, version, file_type, "
                    + "source_id, imported_at) values (?,?,?,?,?)");
                 PreparedStatement d = c.prepareStatement(
                         "insert into registry_delivery (request_number, recipient_id) values (?,?)");
                 PreparedStatement u = c.prepareStatement(
                         "update import_run set records_done = ?, checkpoint = ?, updated_at = ? where file_digest = ?")) {
                Timestamp ts = Timestamp.from(now);
                for (Key k : records) {
                    r.setString(1, k.requestNumber());
                    r.setInt(2, k.version());
                    r.setString(3, k.fileType());
                    r.setString(4, sourceId);
                    r.setTimestamp(5, ts);
                    r.addBatch();
                }
                r.executeBatch();
                for (Delivery x : deliveries) {
                    d.setString(1, x.requestNumber());
                    d.setString(2, x.recipientId());
                    d.addBatch();
                }
                d.executeBatch();
                if (fileDigest != null) {                 // null: not a file import (the SNE synchronisation)
                    u.setLong(1, recordsDone);
                    u.setString(2, checkpoint);
                    u.setTimestamp(3, ts);
                    u.setString(4, fileDigest);
                    u.executeUpdate();
                }
            }
            return null;
        });
    }

    public void finish(String fileDigest, String status, String report, Instant now) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update import_run set status = ?, report = ?, updated_at = ? where file_digest = ?")) {
            ps.setString(1, status);
            ps.setString(2, report);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, fileDigest);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot finish the import", e);
        }
    }

    public long recordCount() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("select count(*) from registry_record");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot count registry records", e);
        }
    }
}
