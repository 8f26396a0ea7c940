package fr.logement.gateway.cli;

import fr.logement.gateway.registry.RegistryJobs;
import fr.logement.gateway.registry.sne.SneSync;
import fr.logement.gateway.registry.syplo.SyploExchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

/** The registry jobs that run by hand (with the gateway stopped: the embedded H2 file admits one process). */
final class RegistryCommands {
    private RegistryCommands() {}

    @Command(name = "sne-sync", mixinStandardHelpOptions = true,
            description = "Synchronise once with the SNE: register ALS's requests waiting in data/inbox/sne/*.jsonl, then "
                    + "pass on the radiations and new DALO households since the last successful run. Exit 0 when done, "
                    + "4 when the SNE failed (the next run catches up).")
    static final class SneSyncCommand implements Callable<Integer> {
        @Mixin
        GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

        @Override
        public Integer call() {
            try (RegistryJobs jobs = RegistryJobs.open(Launch.settings(options))) {
                SneSync.Report r = jobs.sneSync().run();
                System.out.print(r.text());
                return "DONE".equals(r.outcome()) ? 0 : 4;
            }
        }
    }

    @Command(name = "import-dalo-decisions", mixinStandardHelpOptions = true,
            description = "Import SYPLO's signed file of DALO decisions and priority labels (FILE and FILE.p7s) into ALS. "
                    + "Exit 0 imported, 3 quarantined.")
    static final class ImportDaloCommand implements Callable<Integer> {
        @Mixin
        GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

        @Option(names = "--sender", defaultValue = "syplo", description = "SYPLO's partner id (default: ${DEFAULT-VALUE}).")
        String sender;

        @Parameters(paramLabel = "FILE", description = "The CSV file; its signature is FILE.p7s.")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                System.err.println("error: no such file: " + file);
                return 1;
            }
            try (RegistryJobs jobs = RegistryJobs.open(Launch.settings(options))) {
                SyploExchange.Outcome o = jobs.syplo().importDecisions(file, sender);
                System.out.println(o.text());
                return "QUARANTINED".equals(o.outcome()) ? 3 : 0;
            }
        }
    }

    @Command(name = "export-syplo", mixinStandardHelpOptions = true,
            description = "Write, signed, the follow-up of every DALO household (proposals and allocations reported by "
                    + "landlords since DATE) for SYPLO, into data/outbox/syplo/.")
    static final class ExportSyploCommand implements Callable<Integer> {
        @Mixin
        GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

        @Option(names = "--since", required = true, description = "First day, yyyy-MM-dd.")
        LocalDate since;

        @Override
        public Integer call() throws Exception {
            try (RegistryJobs jobs = RegistryJobs.open(Launch.settings(options))) {
                System.out.println(jobs.syplo().exportFollowup(since).text());
                return 0;
            }
        }
    }
}
