package fr.logement.gateway.journal;

import fr.logement.gateway.config.GatewaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail is a hash chain: altering, deleting in the middle or cutting the tail is detected. */
class AuditChainTest {
    @TempDir
    Path data;

    private JournalDatabase database(String name) {
        return JournalDatabase.open(GatewaySettings.load(Path.of("config"),
                Map.of("gateway.data-dir", data.resolve(name).toString())));
    }

    private static AuditTrail fill(JournalDatabase db) {
        AuditTrail audit = new AuditTrail(db.dataSource(), Clock.systemUTC());
        for (int i = 1; i <= 5; i++) audit.record("als", null, "designation.received", "m" + i, "accepted", null);
        return audit;
    }

    private static void sql(JournalDatabase db, String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void anIntactChainVerifies() {
        try (JournalDatabase db = database("intact")) {
            AuditTrail.Verification v = fill(db).verify();
            assertTrue(v.intact(), String.valueOf(v));
            assertEquals(5, v.entries());
        }
    }

    @Test
    void theRequestNumbersConcernedAreChainedToo() throws Exception {
        try (JournalDatabase db = database("numbers")) {
            AuditTrail audit = fill(db);
            audit.record("operator", "dpo", "subject.exported", null, "ok", null, java.util.List.of("94A0000000001"));
            audit.record("als", null, "designation.received", "m6", "accepted", null);
            assertTrue(audit.verify().intact(), "entries with and without request numbers chain together");
            assertEquals(1, audit.concerning("94A0000000001").size());
            assertEquals(0, audit.concerning("94A000000000").size(), "a prefix of a number is another number");

            sql(db, "update audit_entry set request_numbers = '94B0000000002' where nature = 'subject.exported'");
            AuditTrail.Verification v = audit.verify();
            assertFalse(v.intact(), "which request an entry concerned cannot be changed unseen");
            assertEquals(6L, v.brokenAt());
        }
    }

    @Test
    void anAlteredEntryIsFound() throws Exception {
        try (JournalDatabase db = database("altered")) {
            AuditTrail audit = fill(db);
            sql(db, "update audit_entry set outcome = 'rejected_403' where message_id = 'm3'");
            AuditTrail.Verification v = audit.verify();
            assertFalse(v.intact());
            assertEquals(3L, v.brokenAt());
            assertTrue(v.reason().contains("altered"), v.reason());
        }
    }

    @Test
    void aDeletedEntryIsFound() throws Exception {
        try (JournalDatabase db = database("deleted")) {
            AuditTrail audit = fill(db);
            sql(db, "delete from audit_entry where message_id = 'm2'");
            AuditTrail.Verification v = audit.verify();
            assertFalse(v.intact());
            assertEquals(3L, v.brokenAt(), "the entry after the hole");
        }
    }

    @Test
    void aCutTailIsFound() throws Exception {
        try (JournalDatabase db = database("tail")) {
            AuditTrail audit = fill(db);
            sql(db, "delete from audit_entry where message_id = 'm5'");
            AuditTrail.Verification v = audit.verify();
            assertFalse(v.intact());
            assertTrue(v.reason().contains("last entries are missing"), v.reason());
        }
    }
}
