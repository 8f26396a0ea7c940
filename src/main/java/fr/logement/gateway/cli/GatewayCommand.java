package fr.logement.gateway.cli;

import fr.logement.gateway.config.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gateway's command line: {@code run} serves until stopped, {@code demo} plays the whole flow and exits. */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "housing-gateway 0.1.0",
        description = "The housing data-exchange gateway.",
        subcommands = {RunCommand.class, DemoCommand.class, ImportSharedFileCommand.class, GenerateSharedFileCommand.class,
                BenchmarkSharedFileCommand.class, RegistryCommands.SneSyncCommand.class,
                RegistryCommands.ImportDaloCommand.class, RegistryCommands.ExportSyploCommand.class, AuditVerifyCommand.class,
                SubjectExportCommand.class, DeadLettersCommand.class, PurgeCommand.class,
                RotateCertificateCommand.class, BenchmarkStartupCommand.class, EraseCommand.class, BrokerCommand.class, BenchmarkEventsCommand.class,
                CommandLine.HelpCommand.class})
public final class GatewayCommand implements Runnable {

    /** Options shared by every command that starts a gateway. */
    static final class StartOptions {
        @Option(names = "--config-dir", description = "Configuration directory (default: ${DEFAULT-VALUE}).",
                defaultValue = "config")
        Path configDir;

        @Option(names = "--data-dir", description = "Data directory: broker journal, database, documents, keys, logs "
                + "(default: gateway.data-dir of application.properties).")
        Path dataDir;

        @Option(names = "-D", paramLabel = "key=value", description = "Override a setting of application.properties.")
        Map<String, String> overrides = new LinkedHashMap<>();

        Map<String, String> settings() {
            Map<String, String> all = new LinkedHashMap<>(overrides);
            if (dataDir != null) all.put("gateway.data-dir", dataDir.toString());
            return all;
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cl = new CommandLine(new GatewayCommand());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof ConfigurationException ce) {
                line.getErr().println("configuration error: " + ce.getMessage());
                return 2;
            }
            line.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }
}
