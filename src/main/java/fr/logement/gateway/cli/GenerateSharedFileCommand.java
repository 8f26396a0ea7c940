package fr.logement.gateway.cli;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.registry.CmsFileSignature;
import fr.logement.gateway.registry.RegistryJobs;
import fr.logement.gateway.registry.SyntheticRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes a synthetic departmental shared file and signs it with the sender's demo key. */
@Command(name = "generate-shared-file", mixinStandardHelpOptions = true,
        description = "Write a synthetic departmental shared file (realistic, no real person) and its detached CMS "
                + "signature FILE.p7s by the sender's demo key.")
final class GenerateSharedFileCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--records", defaultValue = "10000", description = "How many records (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--sender", defaultValue = "fichier-partage-92", description = "Signing partner (default: ${DEFAULT-VALUE}).")
    String sender;

    @Option(names = "--departements", defaultValue = "92,93,94,75,69,13", split = ",",
            description = "Départements whose communes the requests wish for (default: ${DEFAULT-VALUE}).")
    List<String> departements;

    @Option(names = "--broken-every", defaultValue = "0", description = "Break every n-th record (0: none).")
    int brokenEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Parameters(paramLabel = "FILE", description = "Where to write the CSV.")
    Path file;

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        try (RegistryJobs jobs = RegistryJobs.open(settings)) {
            for (String d : departements) {
                if (jobs.territory().communesOf(d).isEmpty()) {
                    System.err.println("error: --departements: unknown département " + d);
                    return 1;
                }
            }
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            new SyntheticRequests(seed, jobs.territory(), departements).write(file, jobs.layout(), records, brokenEvery);
            Files.write(file.resolveSibling(file.getFileName() + ".p7s"),
                    CmsFileSignature.sign(file, jobs.pki().ensure(sender)));
            System.out.printf("wrote %d records to %s (%d MB) and its signature by %s%n", records, file,
                    Files.size(file) >> 20, sender);
            return 0;
        }
    }
}
