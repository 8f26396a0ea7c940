package fr.logement.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.dataprotection.SubjectExport;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** Subject access: everything the gateway holds about one request number, as JSON (audited). */
@Command(name = "subject-export", mixinStandardHelpOptions = true,
        description = "Write as JSON everything the gateway holds about a request number (NUR): designations and their "
                + "exchanges, allocation events with the bodies still kept, score notices, registry records and their "
                + "recipients, DALO decisions. The export is audited.")
final class SubjectExportCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--nur", required = true, description = "The request number.")
    String nur;

    @Option(names = "--out", description = "Write to this file instead of the standard output.")
    Path out;

    @Option(names = "--operator", description = "Who asks, for the audit trail (default: the system user).")
    String operator = System.getProperty("user.name", "operator");

    @Override
    public Integer call() throws Exception {
        try (JournalDatabase db = JournalDatabase.open(Launch.settings(options))) {
            Clock clock = Clock.systemUTC();
            var export = new SubjectExport(db.dataSource(), new Journal(db.dataSource(), clock),
                    new AuditTrail(db.dataSource(), clock), clock).export(nur, operator);
            byte[] json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(export);
            if (out == null) System.out.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
            else Files.write(out, json);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: --nur: " + e.getMessage());
            return 1;
        }
    }
}
