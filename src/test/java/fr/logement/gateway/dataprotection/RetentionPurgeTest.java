package fr.logement.gateway.dataprotection;

import fr.logement.gateway.allocation.AllocationEventStore;
import fr.logement.gateway.allocation.StoredEvent;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalDatabase;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.retention.RetentionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a clock we control, the purge deletes exactly what has expired, and the audit chain still verifies. */
class RetentionPurgeTest {
    @TempDir
    Path data;

    static final Instant OLD = Instant.parse("2025-01-10T10:00:00Z");
    static final Instant RECENT = Instant.parse("2026-06-20T10:00:00Z");
    static final Instant NOW = Instant.parse("2026-07-01T00:00:00Z");

    private static Clock at(Instant i) {
        return Clock.fixed(i, ZoneOffset.UTC);
    }

    private static StoredEvent event(String id, Instant received) {
        return new StoredEvent("landlord", id, "withdrawal", null, "94X", null, LocalDate.of(2025, 1, 1), "sha256:00",
                "rest", received, StoredEvent.FORWARDED, "{\"receiptId\":\"R\"}", "{\"numeroUnique\":\"94X\"}");
    }

    private static void sql(JournalDatabase db, String statement) throws Exception {
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private static List<String> strings(JournalDatabase db, String query) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    @Test
    void exactlyWhatHasExpiredIsDeleted() throws Exception {
        GatewaySettings s = GatewaySettings.load(Path.of("config"), Map.of("gateway.data-dir", data.toString()));
        try (JournalDatabase db = JournalDatabase.open(s)) {
            for (int i = 0; i < 3; i++) new AuditTrail(db.dataSource(), at(OLD)).record("als", null, "x", "old" + i, "ok", null);
            for (int i = 0; i < 2; i++) new AuditTrail(db.dataSource(), at(RECENT)).record("als", null, "x", "new" + i, "ok", null);
            new Journal(db.dataSource(), at(OLD)).record("m-old", "f", "p", Direction.IN, "RECEIVED", null, null,
                    List.of(), List.of(), List.of(), null);
            new Journal(db.dataSource(), at(RECENT)).record("m-new", "f", "p", Direction.IN, "RECEIVED", null, null,
                    List.of(), List.of(), List.of(), null);
            AllocationEventStore events = new AllocationEventStore(db.dataSource());
            events.insert(event("e-old", Instant.parse("2026-05-01T00:00:00Z")), List.of());
            events.insert(event("e-new", RECENT), List.of());
            Path oldFile = data.resolve("outbox/registry/als/old.jsonl");
            Path newFile = data.resolve("outbox/registry/als/new.jsonl");
            Files.createDirectories(oldFile.getParent());
            Files.writeString(oldFile, "{}\n");
            Files.writeString(newFile, "{}\n");
            Files.setLastModifiedTime(oldFile, FileTime.from(Instant.parse("2026-05-01T00:00:00Z")));
            Files.setLastModifiedTime(newFile, FileTime.from(RECENT));

            // Scoring until designation + 1 month; candidate lists 12 months; registry data 1 year after radiation.
            sql(db, "insert into score_notice values ('94S1','landlord','e1','not_retained_complete_file',40,"
                    + "timestamp with time zone '2026-05-20 00:00:00+00')");
            sql(db, "insert into score_notice values ('94S2','landlord','e2','not_retained_complete_file',40,"
                    + "timestamp with time zone '2026-06-10 00:00:00+00')");
            for (String[] d : new String[][]{{"dsg-old", "2025-06-01"}, {"dsg-new", "2026-01-01"}}) {
                sql(db, "insert into designation (message_id, designation_id, submitted_by, landlord_id, rpls_id, deadline, "
                        + "status, received_at, updated_at) values ('" + d[0] + "','" + d[0] + "','als','landlord','R1',"
                        + "timestamp with time zone '" + d[1] + " 00:00:00+00','DELIVERED',timestamp with time zone '" + d[1]
                        + " 00:00:00+00',timestamp with time zone '" + d[1] + " 00:00:00+00')");
                sql(db, "insert into designation_candidate values ('" + d[0] + "',1,'94C" + d[0].substring(4) + "')");
            }
            for (String[] r : new String[][]{{"94R1", "1", "CRE", "2024-01-01"}, {"94R1", "2", "RAD", "2025-05-01"},
                    {"94R2", "1", "CRE", "2024-01-01"}, {"94R2", "2", "RAD", "2026-05-01"}, {"94R3", "1", "CRE", "2024-01-01"}}) {
                sql(db, "insert into registry_record values ('" + r[0] + "'," + r[1] + ",'" + r[2] + "','dep94',"
                        + "timestamp with time zone '" + r[3] + " 00:00:00+00')");
                sql(db, "insert into registry_delivery values ('" + r[0] + "','landlord')");
            }
            Path oldLog = data.resolve("logs/gateway-2025-11-01.log.gz");
            Path newLog = data.resolve("logs/gateway-2026-06-01.log.gz");
            Path currentLog = data.resolve("logs/gateway.log");
            Files.createDirectories(oldLog.getParent());
            for (Path f : List.of(oldLog, newLog, currentLog)) Files.writeString(f, "x");
            Files.setLastModifiedTime(oldLog, FileTime.from(Instant.parse("2025-11-02T00:00:00Z")));
            Files.setLastModifiedTime(newLog, FileTime.from(Instant.parse("2026-06-02T00:00:00Z")));
            Files.setLastModifiedTime(currentLog, FileTime.from(Instant.parse("2025-11-02T00:00:00Z")));

            AuditTrail auditNow = new AuditTrail(db.dataSource(), at(NOW));
            Map<String, Integer> done = new RetentionPurge(db.dataSource(), RetentionPolicy.load(Path.of("config/retention.yaml")),
                    auditNow, data, at(NOW)).run("dpo-test");

            assertEquals(1, done.get("allocation event bodies"), done.toString());   // 30 days after delivery
            assertEquals(1, done.get("outbox files"));
            assertEquals(1, done.get("journal entries"));                           // one year
            assertEquals(3, done.get("audit entries"));                             // one year
            assertEquals(1, done.get("score notices"));                            // one month
            assertEquals(1, done.get("candidate lists"));                          // twelve months
            assertEquals(2, done.get("registry records"), "both versions of the request radiated over a year ago");
            assertEquals(1, done.get("log files"), "rolled logs over 6 months; the current one is the logger's");
            assertEquals(List.of("94R2", "94R3"), strings(db, "select distinct request_number from registry_record order by 1"));
            assertEquals(List.of("94R2", "94R3"), strings(db, "select distinct request_number from registry_delivery order by 1"));
            assertEquals(List.of("94S2"), strings(db, "select numero_unique from score_notice"));
            assertEquals(List.of("dsg-new"), strings(db, "select message_id from designation_candidate"));
            assertEquals(2, strings(db, "select message_id from designation").size(), "the designation's metadata stays");
            assertFalse(Files.exists(oldLog));
            assertTrue(Files.exists(newLog) && Files.exists(currentLog));
            assertEquals("{}", events.find("landlord", "e-old").orElseThrow().forwarded(), "the body is gone");
            assertEquals("{\"receiptId\":\"R\"}", events.find("landlord", "e-old").orElseThrow().receipt(),
                    "the metadata stays");
            assertTrue(events.find("landlord", "e-new").orElseThrow().forwarded().contains("94X"));
            assertFalse(Files.exists(oldFile));
            assertTrue(Files.exists(newFile));
            assertTrue(new Journal(db.dataSource(), at(NOW)).entriesOf("m-old").isEmpty());
            assertEquals(1, new Journal(db.dataSource(), at(NOW)).entriesOf("m-new").size());

            AuditTrail.Verification v = auditNow.verify();
            assertTrue(v.intact(), "the chain restarts from its anchor: " + v);
            assertEquals(3, v.entries(), "2 recent + the purge's own entry");
            auditNow.record("als", null, "x", "after", "ok", null);
            assertTrue(auditNow.verify().intact());
        }
    }
}
