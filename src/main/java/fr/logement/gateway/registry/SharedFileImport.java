package fr.logement.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Imports one departmental shared file. Its detached CMS signature is checked first (a file that fails is
 * quarantined whole, with the reason, and nothing from it goes anywhere); then its records are streamed in bounded
 * memory, chunk by chunk: each is validated (an invalid one goes to the rejects report, the others proceed), kept
 * once by (request number, version), and written, filtered for (recipient, registry), to the outbox of ALS and of
 * every landlord whose territory covers a wished commune — and, for a radiation or a rectification, of every
 * landlord that received the request before. Each chunk ends with a checkpoint committed with its records, so a
 * crash resumes where it stopped without duplicates. The run ends with a reconciliation report.
 */
public final class SharedFileImport {
    private static final Logger LOG = LogManager.getLogger(SharedFileImport.class);
    public static final String FLOW = "registry";
    static final String ALS = "als";
    static final String REJECTS = "#rejects";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter WRITER = JSON.writer();

    /** Hears about progress: bytes of the file read and records done. */
    public interface Progress {
        default void started(long totalBytes, long resumedAt) {}

        default void advanced(long bytesRead, long records) {}

        /** Called after each committed chunk; a test throws here to simulate a crash. */
        default void committed(long recordsDone) {}
    }

    private final SharedFileLayout layout;
    private final RegistryStore store;
    private final PartnerDirectory partners;
    private final PartnerCertificates certificates;
    private final Territory territory;
    private final OutboundFilter filter;
    private final Journal journal;
    private final AuditTrail audit;
    private final Path dataDir;
    private final Clock clock;
    private final int chunkSize;
    private final Map<String, List<String>> landlordsByCommune = new HashMap<>();

    public SharedFileImport(SharedFileLayout layout, RegistryStore store, PartnerDirectory partners,
                            PartnerCertificates certificates, Territory territory, OutboundFilter filter, Journal journal,
                            AuditTrail audit, Path dataDir, Clock clock, int chunkSize) {
        this.layout = layout;
        this.store = store;
        this.partners = partners;
        this.certificates = certificates;
        this.territory = territory;
        this.filter = filter;
        this.journal = journal;
        this.audit = audit;
        this.dataDir = dataDir;
        this.clock = clock;
        this.chunkSize = chunkSize;
    }

    /** Where the records for {@code recipient} from the file {@code fileDigest} are written. */
    public Path outbox(String recipient, String fileDigest) {
        return dataDir.resolve("outbox/registry").resolve(recipient).resolve(runId(fileDigest) + ".jsonl");
    }

    static String runId(String fileDigest) {
        return fileDigest.substring(fileDigest.indexOf(':') + 1, fileDigest.indexOf(':') + 17);
    }

    public ImportReport run(Path file, String senderId, Progress progress) throws IOException {
        long started = System.nanoTime();
        Partner sender = partners.find(senderId).orElse(null);
        if (sender == null || !sender.is(Partner.PartnerKind.regional_file)) {
            return quarantine(file, senderId, "the sender is not a registered departmental shared file");
        }
        X509Certificate registered = certificates.of(senderId).orElseThrow();
        String certificateProblem = certificates.problemWith(registered).orElse(null);
        if (certificateProblem != null) return quarantine(file, senderId, "sender certificate refused: " + certificateProblem);
        String digest;
        try {
            digest = CmsFileSignature.verify(file, signatureOf(file), registered);
        } catch (CmsFileSignature.Refused r) {
            return quarantine(file, senderId, r.getMessage());
        }

        String headerProblem = headerProblem(file);
        if (headerProblem != null) return quarantine(file, senderId, headerProblem);

        var previous = store.run(digest);
        if (previous.isPresent() && "DONE".equals(previous.get().status())) {
            audit.record(senderId, null, "registry.import", runId(digest), "already_imported", file.getFileName().toString());
            ImportReport before = JSON.readValue(previous.get().report(), ImportReport.class);
            return new ImportReport(before.file(), before.sender(), digest, "ALREADY_IMPORTED", "this file was imported before; "
                    + "nothing changed", before.read(), before.valid(), before.rejected(), before.duplicates(),
                    before.sentPerRecipient(), 0, before.rejectsFile());
        }
        Checkpoint cp = previous.map(r -> Checkpoint.parse(r.checkpoint())).orElseGet(Checkpoint::new);
        if (previous.isEmpty()) store.startRun(digest, senderId, file.getFileName().toString(), cp.json(), clock.instant());
        else LOG.info("resuming import {} after {} records", runId(digest), cp.records);

        Path rejects = dataDir.resolve("reports/registry").resolve(runId(digest) + "-rejects.csv");
        ImportReport report;
        try (Outboxes out = new Outboxes(digest, rejects, cp.offsets)) {
            report = stream(file, senderId, digest, cp, out, progress, started);
        }
        store.finish(digest, "DONE", JSON.writeValueAsString(report), clock.instant());
        Files.createDirectories(rejects.getParent());
        Files.writeString(rejects.resolveSibling(runId(digest) + "-report.json"), JSON.writeValueAsString(report));
        journal.record(runId(digest), FLOW, senderId, Direction.IN, "IMPORTED", digest, FLOW, List.copyOf(cp.sent),
                List.copyOf(cp.dropped), List.of(), report.read() + " records, " + report.rejected() + " rejected");
        for (var e : report.sentPerRecipient().entrySet()) {
            journal.record(runId(digest), FLOW, e.getKey(), Direction.OUT, "WRITTEN", null, FLOW, List.copyOf(cp.sent),
                    List.copyOf(cp.dropped), List.of(), e.getValue() + " records to " + outbox(e.getKey(), digest));
        }
        audit.record(senderId, null, "registry.import", runId(digest), "imported", report.read() + " records");
        return report;
    }

    /** The header line against the layout; a file whose columns are wrong cannot be read at all. */
    private String headerProblem(Path file) throws IOException {
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(layout.separator()).withQuoteChar('"');
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = csv.readerFor(String[].class).with(schema).readValues(reader)) {
            if (!rows.hasNext()) return "the file is empty";
            List<Problem> problems = layout.checkHeader(rows.next());
            return problems.isEmpty() ? null : "the header does not follow the layout: " + problems.get(0).reason();
        } catch (RuntimeException e) {
            return "the header cannot be read as CSV";
        }
    }

    private ImportReport stream(Path file, String senderId, String digest, Checkpoint cp, Outboxes out,
                                Progress progress, long started) throws IOException {
        progress.started(Files.size(file), cp.records);
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(layout.separator()).withQuoteChar('"');
        // One thread reads and prepares the next chunk while this one commits the current: at most two chunks in memory.
        ExecutorService readAhead = Executors.newSingleThreadExecutor(r -> new Thread(r, "shared-file-read-ahead"));
        try (Counting counting = new Counting(Files.newInputStream(file));
             Reader reader = new InputStreamReader(counting, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = csv.readerFor(String[].class).with(schema).readValues(reader)) {
            if (!rows.hasNext()) return report(file, senderId, digest, cp, out, started);
            Reading reading = new Reading(rows, rows.next(), counting, cp.records);
            Future<Chunk> next = readAhead.submit(reading::next);
            for (Chunk chunk = await(next); chunk != null; chunk = await(next)) {
                next = readAhead.submit(reading::next);
                process(chunk, senderId, digest, cp, out);
                progress.advanced(chunk.bytesRead, cp.records);
                progress.committed(cp.records);
            }
        } finally {
            readAhead.shutdownNow();
        }
        return report(file, senderId, digest, cp, out, started);
    }

    private static Chunk await(Future<Chunk> next) throws IOException {
        try {
            return next.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException("cannot read the file", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the file", e);
        }
    }

    /** Reads the file chunk by chunk, skipping what a checkpoint says was done; used by one thread at a time. */
    private final class Reading {
        private final MappingIterator<String[]> rows;
        private final String[] header;
        private final Counting counting;
        private final long done;
        private long index;

        Reading(MappingIterator<String[]> rows, String[] header, Counting counting, long done) {
            this.rows = rows;
            this.header = header;
            this.counting = counting;
            this.done = done;
        }

        /** The next chunk, mapped and filtered; null at the end of the file. */
        Chunk next() throws IOException {
            Chunk chunk = new Chunk();
            while (chunk.size() < chunkSize && rows.hasNext()) {
                String[] values;
                try {
                    values = rows.next();
                } catch (RuntimeException e) {
                    // A line the CSV parser cannot read at all: the rest of the file cannot be trusted to align.
                    throw new IOException("unreadable CSV after record " + index + " (line "
                            + rows.getCurrentLocation().getLineNr() + ")");
                }
                index++;
                if (index <= done) continue;                         // done before the crash
                chunk.add(index, rows.getCurrentLocation().getLineNr(), values);
            }
            if (chunk.size() == 0) return null;
            chunk.prepare(header);
            chunk.bytesRead = counting.count;
            return chunk;
        }
    }

    private ImportReport report(Path file, String senderId, String digest, Checkpoint cp, Outboxes out, long started) {
        return new ImportReport(file.getFileName().toString(), senderId, digest, "IMPORTED", null, cp.read, cp.valid,
                cp.rejected, cp.duplicates, new TreeMap<>(cp.perRecipient), (System.nanoTime() - started) / 1_000_000,
                cp.rejected > 0 ? out.rejectsFile().toString() : null);
    }

    /** Rows of one chunk, with their record index and line; then mapped and filtered. */
    private final class Chunk {
        final List<long[]> positions = new ArrayList<>();
        final List<String[]> values = new ArrayList<>();
        List<Row> rows;
        long bytesRead;

        void add(long index, long line, String[] row) {
            positions.add(new long[]{index, line});
            values.add(row);
        }

        int size() {
            return positions.size();
        }

        /** Mapping, validation and filtering are per record: spread them over the cores, keep the order. */
        void prepare(String[] header) {
            rows = java.util.stream.IntStream.range(0, size()).parallel()
                    .mapToObj(i -> SharedFileImport.this.prepare(header, positions.get(i)[0], positions.get(i)[1], values.get(i)))
                    .toList();
            values.clear();
        }
    }

    /** One row, mapped and filtered (in parallel); counted and written afterwards, in file order. */
    private record Row(long index, long line, List<Problem> problems, String requestNumber, int version, String fileType,
                       List<String> communes, Categories forAls, byte[] alsLine, Categories forLandlord,
                       byte[] landlordLine) {}

    /** The categories a record sent and dropped for one recipient (the journal's), without the filtered record. */
    private record Categories(Set<String> sent, Set<String> dropped) {
        static Categories of(FilterResult r) {
            return new Categories(r.categoriesSent(), r.categoriesDropped());
        }
    }

    private Row prepare(String[] header, long index, long line, String[] values) {
        SharedFileLayout.Mapped m = layout.toNational(header, values);
        if (!m.problems().isEmpty()) {
            return new Row(index, line, m.problems(), null, 0, null, null, null, null, null, null);
        }
        ObjectNode r = m.record();
        List<String> communes = new ArrayList<>();
        for (JsonNode c : r.path("request").path("wishedCommunes")) communes.add(c.asText());
        FilterResult forAls = filter.filter(FLOW, r, "als", FLOW);
        FilterResult forLandlord = filter.filter(FLOW, r, "landlord", FLOW);
        try {
            return new Row(index, line, List.of(), r.path("requestNumber").asText(), r.path("version").asInt(),
                    r.path("fileType").asText(), communes, Categories.of(forAls), WRITER.writeValueAsBytes(forAls.filtered()),
                    Categories.of(forLandlord), WRITER.writeValueAsBytes(forLandlord.filtered()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a record as JSON", e);
        }
    }

    private void process(Chunk chunk, String senderId, String digest, Checkpoint cp, Outboxes out) throws IOException {
        List<Row> rows = chunk.rows;
        Set<String> numbers = new HashSet<>();
        Set<String> propagate = new HashSet<>();
        for (Row r : rows) {
            if (!r.problems().isEmpty()) continue;
            numbers.add(r.requestNumber());
            if (r.fileType().equals("RAD") || r.fileType().equals("MOD")) propagate.add(r.requestNumber());
        }
        Set<String> seen = store.existing(numbers);
        Map<String, Set<String>> earlier = store.previousRecipients(propagate);

        List<RegistryStore.Key> kept = new ArrayList<>();
        List<RegistryStore.Delivery> deliveries = new ArrayList<>();
        for (Row r : rows) {
            cp.read++;
            if (!r.problems().isEmpty()) {
                cp.rejected++;
                for (Problem p : r.problems()) out.reject(r.index(), r.line(), p);
                continue;
            }
            if (!seen.add(r.requestNumber() + "|" + r.version())) {
                cp.duplicates++;
                continue;
            }
            cp.valid++;
            kept.add(new RegistryStore.Key(r.requestNumber(), r.version(), r.fileType()));
            out.write(ALS, r.alsLine());
            cp.count(ALS, r.forAls());
            Set<String> landlords = new TreeSet<>();
            for (String c : r.communes()) landlords.addAll(landlordsFor(c));
            landlords.addAll(earlier.getOrDefault(r.requestNumber(), Set.of()));
            for (String l : landlords) {
                out.write(l, r.landlordLine());
                cp.count(l, r.forLandlord());
                deliveries.add(new RegistryStore.Delivery(r.requestNumber(), l));
            }
        }
        out.flush();
        cp.records = chunk.positions.get(chunk.size() - 1)[0];
        cp.offsets = out.offsets();
        store.commitChunk(digest, senderId, kept, deliveries, cp.records, cp.json(), clock.instant());
    }

    private List<String> landlordsFor(String commune) {
        return landlordsByCommune.computeIfAbsent(commune, c -> partners.all().stream()
                .filter(p -> p.is(Partner.PartnerKind.landlord) && territory.covers(p.territory(), c))
                .map(Partner::id).toList());
    }

    static Path signatureOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".p7s");
    }

    private ImportReport quarantine(Path file, String senderId, String reason) throws IOException {
        Path dir = dataDir.resolve("quarantine/registry")
                .resolve(clock.instant().toString().replace(':', '-') + "-" + file.getFileName());
        Files.createDirectories(dir);
        if (Files.exists(file)) Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path sig = signatureOf(file);
        if (Files.exists(sig)) Files.move(sig, dir.resolve(sig.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("reason.txt"), reason + "\n");
        audit.record(senderId == null ? "unknown" : senderId, null, "registry.import", null, "quarantined", reason);
        LOG.warn("shared file {} from {} quarantined: {}", file.getFileName(), senderId, reason);
        return new ImportReport(file.getFileName().toString(), senderId, null, "QUARANTINED", reason, 0, 0, 0, 0,
                Map.of(), 0, null);
    }

    /** Counts and outbox offsets after the last committed chunk. */
    static final class Checkpoint {
        long records;
        long read;
        long valid;
        long rejected;
        long duplicates;
        Map<String, Long> perRecipient = new HashMap<>();
        Map<String, Long> offsets = new HashMap<>();
        Set<String> sent = new TreeSet<>();
        Set<String> dropped = new TreeSet<>();

        void count(String recipient, Categories r) {
            perRecipient.merge(recipient, 1L, Long::sum);
            if (!sent.containsAll(r.sent())) sent.addAll(r.sent());
            if (!dropped.containsAll(r.dropped())) dropped.addAll(r.dropped());
        }

        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("records", records);
            m.put("read", read);
            m.put("valid", valid);
            m.put("rejected", rejected);
            m.put("duplicates", duplicates);
            m.put("perRecipient", perRecipient);
            m.put("offsets", offsets);
            m.put("sent", sent);
            m.put("dropped", dropped);
            try {
                return JSON.writeValueAsString(m);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Checkpoint parse(String json) {
            try {
                JsonNode n = JSON.readTree(json);
                Checkpoint c = new Checkpoint();
                c.records = n.path("records").asLong();
                c.read = n.path("read").asLong();
                c.valid = n.path("valid").asLong();
                c.rejected = n.path("rejected").asLong();
                c.duplicates = n.path("duplicates").asLong();
                n.path("perRecipient").fields().forEachRemaining(e -> c.perRecipient.put(e.getKey(), e.getValue().asLong()));
                n.path("offsets").fields().forEachRemaining(e -> c.offsets.put(e.getKey(), e.getValue().asLong()));
                n.path("sent").forEach(x -> c.sent.add(x.asText()));
                n.path("dropped").forEach(x -> c.dropped.add(x.asText()));
                return c;
            } catch (IOException e) {
                throw new IllegalStateException("unreadable checkpoint", e);
            }
        }
    }

    /** One append-only JSON Lines file per recipient (and the rejects CSV), cut back to the checkpoint on resume. */
    private final class Outboxes implements AutoCloseable {
        private final String digest;
        private final Path rejectsFile;
        private final Map<String, FileChannel> channels = new HashMap<>();
        private final Map<String, java.io.OutputStream> streams = new HashMap<>();
        private final Map<String, Long> committed;
        private Writer rejects;

        Outboxes(String digest, Path rejectsFile, Map<String, Long> committed) {
            this.digest = digest;
            this.rejectsFile = rejectsFile;
            this.committed = committed;
        }

        Path rejectsFile() {
            return rejectsFile;
        }

        private java.io.OutputStream stream(String key) throws IOException {
            java.io.OutputStream s = streams.get(key);
            if (s != null) return s;
            Path p = key.equals(REJECTS) ? rejectsFile : outbox(key, digest);
            Files.createDirectories(p.getParent());
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ch.truncate(committed.getOrDefault(key, 0L));      // whatever came after the last checkpoint goes
            ch.position(ch.size());
            channels.put(key, ch);
            s = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            streams.put(key, s);
            return s;
        }

        void write(String recipient, byte[] line) throws IOException {
            java.io.OutputStream s = stream(recipient);
            s.write(line);
            s.write('\n');
        }

        void reject(long index, long line, Problem p) throws IOException {
            if (rejects == null) {
                boolean fresh = committed.getOrDefault(REJECTS, 0L) == 0L;
                rejects = new BufferedWriter(new OutputStreamWriter(stream(REJECTS), StandardCharsets.UTF_8));
                if (fresh) rejects.write("record;line;field;reason\n");
            }
            rejects.write(index + ";" + line + ";" + p.path() + ";" + p.reason().replace(';', ',') + "\n");
        }

        void flush() throws IOException {
            if (rejects != null) rejects.flush();
            for (var s : streams.values()) s.flush();
            for (var c : channels.values()) c.force(false);
        }

        Map<String, Long> offsets() throws IOException {
            Map<String, Long> m = new HashMap<>(committed);
            for (var e : channels.entrySet()) m.put(e.getKey(), e.getValue().size());
            return m;
        }

        @Override
        public void close() throws IOException {
            flush();
            for (var c : channels.values()) c.close();
        }
    }

    /** Counts the bytes read, for progress. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(new java.io.BufferedInputStream(in, 1 << 16));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
