package fr.logement.gateway.cli;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.registry.ImportReport;
import fr.logement.gateway.registry.RegistryJobs;
import fr.logement.gateway.registry.SharedFileImport;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Imports one signed departmental shared file by hand, with a progress bar, and prints its reconciliation report. */
@Command(name = "import-shared-file", mixinStandardHelpOptions = true,
        description = "Import a departmental shared file (FILE and its detached CMS signature FILE.p7s): check the "
                + "signature, stream the records to ALS and the landlords of their territory, print the report. "
                + "Run it while the gateway is stopped, or drop the files into data/inbox/registry/<sender>/ instead. "
                + "Exit codes: 0 imported (or imported before), 3 quarantined, 2 configuration error.")
final class ImportSharedFileCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--sender", required = true, description = "Partner id of the departmental shared file (partners.yaml).")
    String sender;

    @Parameters(paramLabel = "FILE", description = "The CSV file; its signature is FILE.p7s.")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("error: no such file: " + file);
            return 1;
        }
        GatewaySettings settings = Launch.settings(options);
        try (RegistryJobs jobs = RegistryJobs.open(settings)) {
            ImportReport report;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("import").setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" MB", 1 << 20).setInitialMax(Files.size(file)).build()) {
                report = jobs.sharedFileImport().run(file, sender, new SharedFileImport.Progress() {
                    @Override
                    public void advanced(long bytesRead, long records) {
                        bar.stepTo(bytesRead);
                        bar.setExtraMessage(records + " records");
                    }
                });
            }
            System.out.print(report.text());
            return "QUARANTINED".equals(report.outcome()) ? 3 : 0;
        }
    }
}
