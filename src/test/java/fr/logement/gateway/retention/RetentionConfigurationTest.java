package fr.logement.gateway.retention;

import fr.logement.gateway.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionConfigurationTest {
    @TempDir
    Path dir;

    private static final Path SHIPPED = Path.of("config/retention.yaml");

    @Test
    void theShippedRulesLoadWithThePublishedPeriods() {
        RetentionPolicy p = RetentionPolicy.load(SHIPPED);
        assertEquals(new RetentionPolicy.Rule(Period.ofMonths(1), RetentionPolicy.Clock.designation), p.category("score"));
        assertEquals(new RetentionPolicy.Rule(Period.ofMonths(12), RetentionPolicy.Clock.application),
                p.category("application_history"));
        assertEquals(new RetentionPolicy.Rule(Period.ofMonths(6), RetentionPolicy.Clock.rolling), p.record("connection_logs"));
        assertEquals(new RetentionPolicy.Rule(Period.ofDays(30), RetentionPolicy.Clock.delivered), p.record("message_bodies"));
        assertEquals(Period.ofYears(1), p.record("audit").keep());
    }

    private ConfigurationException broken(String from, String to) throws IOException {
        String yaml = Files.readString(SHIPPED);
        assertTrue(yaml.contains(from), "the shipped file still holds " + from);
        Path f = dir.resolve("retention.yaml");
        Files.writeString(f, yaml.replace(from, to));
        return assertThrows(ConfigurationException.class, () -> RetentionPolicy.load(f));
    }

    @Test
    void aMissingCategoryIsNamed() throws IOException {
        ConfigurationException e = broken("  motive:              {keep: P1Y,  from: radiation}\n", "");
        assertEquals("retention.yaml", e.file());
        assertEquals("categories", e.entry());
        assertTrue(e.problem().contains("motive"), e.problem());
    }

    @Test
    void aBadPeriodIsNamed() throws IOException {
        ConfigurationException e = broken("score:               {keep: P1M", "score:               {keep: one month");
        assertEquals("categories.score.keep", e.entry());
    }

    @Test
    void anUnknownClockIsNamed() throws IOException {
        ConfigurationException e = broken("audit:               {keep: P1Y,  from: received}",
                "audit:               {keep: P1Y,  from: forever}");
        assertEquals("records.audit.from", e.entry());
        assertTrue(e.problem().contains("forever"), e.problem());
    }

    @Test
    void anUnknownCategoryIsRefused() throws IOException {
        ConfigurationException e = broken("categories:\n", "categories:\n  shoe_size: {keep: P1Y, from: received}\n");
        assertEquals("categories.shoe_size", e.entry());
    }

    @Test
    void aNegativePeriodIsRefused() throws IOException {
        ConfigurationException e = broken("dead_letters:        {keep: P30D", "dead_letters:        {keep: P-30D");
        assertEquals("records.dead_letters.keep", e.entry());
    }
}
