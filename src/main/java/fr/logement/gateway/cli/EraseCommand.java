package fr.logement.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.dataprotection.Erasure;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/** Erases what the gateway still keeps about a request, and says what it could not erase and why. */
@Command(name = "erase", mixinStandardHelpOptions = true,
        description = "Erase the bodies the gateway keeps about a request number (forwarded allocation events, outbox "
                + "records) and print, as JSON, what was erased and what was kept with the reason. Audited.")
final class EraseCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--nur", required = true, description = "The request number.")
    String nur;

    @Option(names = "--operator", description = "Who erases, for the audit trail (default: the system user).")
    String operator = System.getProperty("user.name", "operator");

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        try (JournalDatabase db = JournalDatabase.open(settings)) {
            var outcome = new Erasure(db.dataSource(), new AuditTrail(db.dataSource(), Clock.systemUTC()), settings.dataDir())
                    .erase(nur, operator);
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(outcome));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: --nur: " + e.getMessage());
            return 1;
        }
    }
}
