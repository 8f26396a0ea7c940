package fr.logement.gateway.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.journal.JournalDatabase;
import fr.logement.gateway.registry.CmsFileSignature;
import fr.logement.gateway.registry.ImportReport;
import fr.logement.gateway.registry.RegistryJobs;
import fr.logement.gateway.registry.RegistryStore;
import fr.logement.gateway.registry.SharedFileImport;
import fr.logement.gateway.registry.SyntheticRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmarks a shared-file import (not a test): generates a signed synthetic file, times merely parsing it (the
 * floor), then the whole import (signature, validation, idempotency, routing, filtering, outboxes, checkpoints),
 * on a fresh data directory, and prints a table with records/s and peak heap. Run with the heap you want to check,
 * e.g. {@code java -Xmx512m -jar target/gateway.jar benchmark-shared-file}.
 */
@Command(name = "benchmark-shared-file", mixinStandardHelpOptions = true,
        description = "Benchmark the import of a departmental shared file beside its parse-only floor; prints a table.")
final class BenchmarkSharedFileCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--records", defaultValue = "2600000", description = "Records in the file (default: ${DEFAULT-VALUE}).")
    long records;

    @Override
    public Integer call() throws Exception {
        if (options.dataDir == null) {
            options.dataDir = Path.of("data", "benchmarks", "shared-file-" + Instant.now().getEpochSecond());
        }
        GatewaySettings settings = Launch.settings(options);
        try (RegistryJobs jobs = RegistryJobs.open(settings)) {
            Path file = settings.dataDir().resolve("benchmark.csv");
            Files.createDirectories(file.getParent());
            long t0 = System.nanoTime();
            new SyntheticRequests(7, jobs.territory(), DEPARTEMENTS)
                    .write(file, jobs.layout(), records, 0);
            Files.write(file.resolveSibling("benchmark.csv.p7s"), CmsFileSignature.sign(file, jobs.pki().ensure("fichier-partage-92")));
            System.out.printf("generated %,d records (%,d MB) in %.1f s; data in %s%n", records, Files.size(file) >> 20,
                    (System.nanoTime() - t0) / 1e9, settings.dataDir());

            HeapSampler parseHeap = new HeapSampler();
            long p0 = System.nanoTime();
            long parsed = parse(file, jobs.layout().separator());
            double parseSeconds = (System.nanoTime() - p0) / 1e9;
            long parsePeak = parseHeap.stop();

            HeapSampler importHeap = new HeapSampler();
            long i0 = System.nanoTime();
            ImportReport report = jobs.sharedFileImport().run(file, "fichier-partage-92", new SharedFileImport.Progress() { });
            double importSeconds = (System.nanoTime() - i0) / 1e9;
            long importPeak = importHeap.stop();

            long deliveries = report.sentPerRecipient().entrySet().stream().filter(e -> !"als".equals(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            double rowsSeconds = settings.get("gateway.db.url", "").isEmpty()
                    ? rowsFloor(settings, report.valid(), deliveries, settings.intValue("gateway.registry.chunk-records"))
                    : Double.NaN;

            long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
            System.out.println();
            System.out.printf("| %-32s | %10s | %9s | %11s | %14s |%n", "phase", "records", "seconds", "records/s", "peak heap MB");
            System.out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(34), "-".repeat(12), "-".repeat(11), "-".repeat(13), "-".repeat(16));
            row("parse only (floor)", parsed, parseSeconds, parsePeak);
            row("import end to end", report.read(), importSeconds, importPeak);
            if (!Double.isNaN(rowsSeconds)) row("its database rows alone (H2)", report.valid(), rowsSeconds, -1);
            System.out.printf("%nimport / floor: %.2f×   max heap: %d MB   outcome: %s, %d valid, %d rejected, recipients %s%n",
                    importSeconds / parseSeconds, maxHeap, report.outcome(), report.valid(), report.rejected(),
                    Map.copyOf(report.sentPerRecipient()));
            return "IMPORTED".equals(report.outcome()) ? 0 : 1;
        }
    }

    private static final List<String> DEPARTEMENTS = List.of("92", "93", "94", "75", "69", "13", "59", "33");

    private static void row(String phase, long n, double seconds, long peakMb) {
        System.out.printf("| %-32s | %,10d | %9.1f | %,11.0f | %14s |%n", phase, n, seconds, n / seconds,
                peakMb < 0 ? "" : Long.toString(peakMb));
    }

    /**
     * A second floor: the rows an import keeps (one per record for idempotency, one per landlord delivery), as many
     * as the import wrote and in the same chunks, written alone with the store's own statements into a fresh H2
     * database beside the data: what the database costs, whatever the rest does.
     */
    private static double rowsFloor(GatewaySettings settings, long records, long deliveries, int chunk) {
        System.out.printf("writing the same rows alone (%,d records, %,d deliveries)...%n", records, deliveries);
        GatewaySettings alone = GatewaySettings.load(settings.configDir(),
                Map.of("gateway.data-dir", settings.dataDir().resolve("rows-floor").toString()));
        try (JournalDatabase db = JournalDatabase.open(alone)) {
            RegistryStore store = new RegistryStore(db.dataSource());
            Random random = new Random(7);
            double perRecord = (double) deliveries / Math.max(1, records);
            double owed = 0;
            long t0 = System.nanoTime();
            for (long from = 0; from < records; from += chunk) {
                List<RegistryStore.Key> keys = new ArrayList<>();
                List<RegistryStore.Delivery> sent = new ArrayList<>();
                for (long i = from; i < Math.min(records, from + chunk); i++) {
                    String number = DEPARTEMENTS.get(random.nextInt(DEPARTEMENTS.size())) + "26" + String.format("%010d", i);
                    keys.add(new RegistryStore.Key(number, 1, "CRE"));
                    for (owed += perRecord; owed >= 1; owed--) sent.add(new RegistryStore.Delivery(number, "landlord-" + sent.size() % 3));
                }
                store.commitChunk(null, "floor", keys, sent, 0, "", Instant.now());
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** The floor: read every record of the file with the same CSV parser, doing nothing with it. */
    static long parse(Path file, char separator) throws Exception {
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator).withQuoteChar('"');
        long n = 0;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = csv.readerFor(String[].class).with(schema).readValues(r)) {
            rows.next();
            while (rows.hasNext()) {
                rows.next();
                n++;
            }
        }
        return n;
    }

    /** Samples used heap every 20 ms; reports the peak in MB. */
    static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        HeapSampler() {
            System.gc();
            thread = new Thread(() -> {
                Runtime rt = Runtime.getRuntime();
                while (running.get()) {
                    peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return peak.get() >> 20;
        }
    }
}
