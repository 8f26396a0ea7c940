package fr.logement.gateway.cli;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/** Checks the audit trail's hash chain; the check is itself audited. */
@Command(name = "audit-verify", mixinStandardHelpOptions = true,
        description = "Verify the audit trail's hash chain: every entry's hash, the link to the one before, and the head. "
                + "Exit 0 intact, 5 broken (the first entry that does not hold is named). The check is audited.")
final class AuditVerifyCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--operator", description = "Who runs the check, for the audit trail (default: the system user).")
    String operator = System.getProperty("user.name", "operator");

    @Override
    public Integer call() {
        GatewaySettings settings = Launch.settings(options);
        try (JournalDatabase db = JournalDatabase.open(settings)) {
            AuditTrail audit = new AuditTrail(db.dataSource(), Clock.systemUTC());
            AuditTrail.Verification v = audit.verify();
            audit.record("operator", operator, "audit.verified", null, v.intact() ? "intact" : "broken",
                    v.intact() ? v.entries() + " entries" : "entry " + v.brokenAt());
            if (v.intact()) {
                System.out.printf("audit trail intact: %d entries%n", v.entries());
                return 0;
            }
            System.out.printf("audit trail BROKEN at entry %d: %s%n", v.brokenAt(), v.reason());
            return 5;
        }
    }
}
