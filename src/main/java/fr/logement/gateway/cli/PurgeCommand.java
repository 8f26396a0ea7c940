package fr.logement.gateway.cli;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.dataprotection.RetentionPurge;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalDatabase;
import fr.logement.gateway.retention.RetentionPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/** Deletes what has outlived its retention period and says how much (counts, never contents); audited. */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Delete what config/retention.yaml says has expired: allocation-event bodies and outbox files "
                + "(message_bodies), journal entries (journal_metadata), audit entries (audit; the chain restarts from an "
                + "anchor). Prints counts. The running gateway does the same daily (gateway.retention.purge-period-ms).")
final class PurgeCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--operator", description = "Who purges, for the audit trail (default: the system user).")
    String operator = System.getProperty("user.name", "operator");

    @Override
    public Integer call() {
        GatewaySettings settings = Launch.settings(options);
        try (JournalDatabase db = JournalDatabase.open(settings)) {
            Clock clock = Clock.systemUTC();
            var done = new RetentionPurge(db.dataSource(), RetentionPolicy.load(settings.configDir().resolve("retention.yaml")),
                    new AuditTrail(db.dataSource(), clock), settings.dataDir(), clock).run(operator);
            done.forEach((k, v) -> System.out.printf("  %-26s %d deleted%n", k, v));
            return 0;
        }
    }
}
