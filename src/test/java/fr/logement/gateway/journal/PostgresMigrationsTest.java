package fr.logement.gateway.journal;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.testing.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema migrates on a real PostgreSQL, and the journal and the audit chain work there as on H2. */
class PostgresMigrationsTest {
    @TempDir
    Path data;

    @Test
    void theSchemaMigratesAndTheAuditChainHoldsOnPostgres() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start();
             JournalDatabase db = JournalDatabase.open(GatewaySettings.load(Path.of("config"), Map.of(
                     "gateway.data-dir", data.toString(), "gateway.db.url", pg.jdbcUrl())))) {
            AuditTrail audit = new AuditTrail(db.dataSource(), Clock.systemUTC());
            for (int i = 0; i < 3; i++) audit.record("als", null, "designation.received", "m" + i, "accepted", null);
            audit.record("operator", "dpo", "subject.exported", null, "ok", null, List.of("94A1"));
            AuditTrail.Verification v = audit.verify();
            assertTrue(v.intact(), String.valueOf(v));
            assertEquals(4, v.entries());
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            journal.record("m0", "designation", "als", JournalEntry.Direction.IN, "RECEIVED", "sha256:00", "designation",
                    List.of("identity"), List.of("nir"), List.of("/candidates/0/identity/nir"), null);
            assertEquals(1, journal.entriesOf("m0").size());
        }
    }
}
