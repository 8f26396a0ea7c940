package fr.logement.gateway.journal;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.journal.JournalEntry.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JournalMigratesAndRecordsTest {
    @TempDir
    Path data;

    @Test
    void theSchemaIsCreatedByMigrationAndEntriesPersistAcrossReopen() {
        GatewaySettings s = GatewaySettings.load(Path.of("config"), Map.of("gateway.data-dir", data.toString()));
        try (JournalDatabase db = JournalDatabase.open(s)) {
            new Journal(db.dataSource(), Clock.systemUTC()).record("m1", "designation", "als", Direction.IN, "RECEIVED",
                    "sha256:00", "designation", List.of("identity", "offer"), List.of("nir"),
                    List.of("candidates[0].identity.nir"), null);
        }
        try (JournalDatabase db = JournalDatabase.open(s)) {
            List<JournalEntry> entries = new Journal(db.dataSource(), Clock.systemUTC()).entriesOf("m1");
            assertEquals(1, entries.size());
            assertEquals(List.of("nir"), entries.get(0).categoriesDropped());
            assertEquals(List.of("identity", "offer"), entries.get(0).categoriesSent());
        }
    }
}
