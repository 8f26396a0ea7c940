package fr.logement.gateway.dataprotection;

import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Transactions;
import fr.logement.gateway.retention.RetentionPolicy;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Deletes what has outlived its retention period (config/retention.yaml): message bodies kept for delivery and
 * replay (allocation events forwarded, outbox files), score notices (scoring: designation + 1 month), candidate
 * lists of designations (application history: 12 months), registry records and employers' views of requests
 * 1 year after their radiation, journal metadata, rolled log files (connection logs, 6 months), audit entries (the chain restarts from an anchor) and
 * old dead letters. Reports counts, never contents; the purge itself is audited.
 */
public final class RetentionPurge {
    private final DataSource db;
    private final RetentionPolicy retention;
    private final AuditTrail audit;
    private final Path dataDir;
    private final Clock clock;
    private jakarta.jms.ConnectionFactory broker;

    /** Also purges the dead-letter queues of this broker (the running gateway's). */
    public RetentionPurge withBroker(jakarta.jms.ConnectionFactory broker) {
        this.broker = broker;
        return this;
    }

    public RetentionPurge(DataSource db, RetentionPolicy retention, AuditTrail audit, Path dataDir, Clock clock) {
        this.db = db;
        this.retention = retention;
        this.audit = audit;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    private Instant cutoff(String recordKind) {
        return clock.instant().atZone(ZoneOffset.UTC).minus(retention.record(recordKind).keep()).toInstant();
    }

    /** Purges now; returns what was deleted, per kind (counts only). */
    public Map<String, Integer> run(String operator) {
        Map<String, Integer> done = new LinkedHashMap<>();
        Instant bodies = cutoff("message_bodies");
        done.put("allocation event bodies", update("update allocation_event set forwarded = '{}' where status = 'FORWARDED' "
                + "and received_at < ? and forwarded <> '{}'", bodies));
        done.put("outbox files", deleteFilesOlderThan(dataDir.resolve("outbox"), bodies, ""));
        done.put("score notices", update("delete from score_notice where created_at < ?", cutoffOf("score")));
        done.put("candidate lists", update("delete from designation_candidate where message_id in (select message_id "
                + "from designation where received_at < ?)", cutoffOf("application_history")));
        Instant radiated = cutoffOf("request");
        update("delete from registry_delivery where request_number in (select request_number from registry_record "
                + "where file_type = 'RAD' and imported_at < ?)", radiated);
        done.put("employer views", update("delete from employee_request_view where numero_unique in (select request_number "
                + "from registry_record where file_type = 'RAD' and imported_at < ?)", radiated));
        done.put("registry records", update("delete from registry_record where request_number in (select request_number "
                + "from registry_record where file_type = 'RAD' and imported_at < ?)", radiated));
        done.put("journal entries", update("delete from journal_entry where recorded_at < ?", cutoff("journal_metadata")));
        done.put("log files", deleteFilesOlderThan(dataDir.resolve("logs"), cutoff("connection_logs"), "gateway-"));
        done.put("audit entries", audit.purgeBefore(cutoff("audit")));
        if (broker != null) done.put("dead letters", purgeDeadLetters(cutoff("dead_letters")));
        audit.record("operator", operator, "retention.purged", null, "ok", done.toString());
        return done;
    }

    /** Removes from the dead-letter queues the messages parked before {@code cutoff}. */
    private int purgeDeadLetters(Instant cutoff) {
        int n = 0;
        try (jakarta.jms.Connection c = broker.createConnection()) {
            c.start();
            jakarta.jms.Session s = c.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED);
            for (String q : List.of(fr.logement.gateway.broker.Broker.DESIGNATION_DEAD_LETTERS,
                    fr.logement.gateway.broker.Broker.ALS_ALLOCATION_EVENTS_DEAD_LETTERS, "DLQ")) {
                try (jakarta.jms.MessageConsumer consumer = s.createConsumer(s.createQueue(q),
                        "JMSTimestamp < " + cutoff.toEpochMilli())) {
                    while (consumer.receive(200) != null) n++;
                }
            }
            s.commit();
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("cannot purge the dead-letter queues: " + e.getMessage(), e);
        }
        return n;
    }

    private int update(String sql, Instant cutoff) {
        return Transactions.inTransaction(db, "purge", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                return ps.executeUpdate();
            }
        });
    }

    private Instant cutoffOf(String category) {
        return clock.instant().atZone(ZoneOffset.UTC).minus(retention.category(category).keep()).toInstant();
    }

    /** Files under {@code dir} named {@code prefix}... last written before {@code cutoff}. */
    private static int deleteFilesOlderThan(Path dir, Instant cutoff, String prefix) {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith(prefix))::iterator) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.delete(p);
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge " + dir, e);
        }
        return n;
    }

    /** Kinds this purge covers, for the documentation and the report. */
    public static List<String> kinds() {
        return List.of("allocation event bodies", "outbox files", "score notices", "candidate lists", "employer views",
                "registry records", "journal entries", "log files", "audit entries", "dead letters");
    }
}
