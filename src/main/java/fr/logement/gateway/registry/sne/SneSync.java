package fr.logement.gateway.registry.sne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import fr.logement.gateway.registry.RegistryStore;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.xml.ws.WebServiceException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One synchronisation with the SNE: registers or updates the requests ALS left in {@code data/inbox/sne/} (JSON
 * Lines in the national model; each line once, even across interrupted runs), then pulls the radiations and the new
 * DALO households since the last successful run and passes them on — radiations to ALS and every landlord that had
 * the request, DALO households to ALS — filtered for (recipient, registry). A run that fails half-way leaves the
 * window where it was: the next one fetches it again, and what was already passed on is recognised and skipped.
 */
public final class SneSync {
    private static final Logger LOG = LogManager.getLogger(SneSync.class);
    public static final String FLOW = "registry";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What a run did. */
    public record Report(String outcome, LocalDate since, int registered, int radiations, int dalo, String error) {
        public String text() {
            return String.format("SNE synchronisation %s (since %s): %d requests registered or updated, %d radiations "
                    + "and %d DALO households passed on%s%n", outcome, since, registered, radiations, dalo,
                    error == null ? "" : " — " + error);
        }
    }

    private final SnePort sne;
    private final RegistryStore registry;
    private final DataSource db;
    private final OutboundFilter filter;
    private final Journal journal;
    private final AuditTrail audit;
    private final Path dataDir;
    private final Clock clock;
    private final LocalDate initialSince;

    public SneSync(SnePort sne, RegistryStore registry, DataSource db, OutboundFilter filter, Journal journal,
                   AuditTrail audit, Path dataDir, Clock clock, LocalDate initialSince) {
        this.sne = sne;
        this.registry = registry;
        this.db = db;
        this.filter = filter;
        this.journal = journal;
        this.audit = audit;
        this.dataDir = dataDir;
        this.clock = clock;
        this.initialSince = initialSince;
    }

    public Path requestsInbox() {
        return dataDir.resolve("inbox/sne");
    }

    public synchronized Report run() {
        Instant started = clock.instant();
        LocalDate since = lastSuccessfulStart().orElse(initialSince);
        long run = startRun(started, since);
        int[] counts = new int[3];
        try {
            counts[0] = registerRequests();
            counts[1] = passOnRadiations(since, started);
            counts[2] = passOnDalo(since, started);
            finishRun(run, "DONE", counts, null);
            audit.record("sne", null, "registry.sne_sync", "sne-" + run, "done", counts[0] + "/" + counts[1] + "/" + counts[2]);
            return new Report("DONE", since, counts[0], counts[1], counts[2], null);
        } catch (SneFault | WebServiceException | IOException e) {
            String reason = reason(e);
            LOG.warn("SNE synchronisation {} interrupted: {}", run, reason);
            finishRun(run, "FAILED", counts, reason);
            audit.record("sne", null, "registry.sne_sync", "sne-" + run, "failed", reason);
            return new Report("FAILED", since, counts[0], counts[1], counts[2], reason);
        }
    }

    /** A reason in our words: a fault text may quote what was sent. */
    static String reason(Exception e) {
        // Transport first: CXF may wrap a timeout in a SOAP fault of its own.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) return "timed out";
            if (t instanceof java.net.ConnectException) return "connection refused";
            String m = String.valueOf(t.getMessage());
            if (m.contains("Read timed out") || m.contains("timed out")) return "timed out";
        }
        if (e instanceof SneFault f && f.code() != null && f.code().matches("SNE-\\d{3}")) return "SNE fault " + f.code();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof jakarta.xml.ws.soap.SOAPFaultException sf ? sf.getFault().getFaultString()
                    : String.valueOf(t.getMessage());
            java.util.regex.Matcher code = java.util.regex.Pattern.compile("SNE-\\d{3}").matcher(m);
            if (code.find()) return "SNE fault " + code.group();   // the code only: a fault text may quote data
        }
        if (e instanceof SneFault || e instanceof jakarta.xml.ws.soap.SOAPFaultException) return "SNE fault";
        return e.getClass().getSimpleName();
    }

    /** Sends each pending request line once; returns how many were sent in this run. */
    private int registerRequests() throws IOException, SneFault {
        Path inbox = requestsInbox();
        if (!Files.isDirectory(inbox)) return 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(inbox)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        int sent = 0;
        for (Path file : files) {
            String digest = Digests.sha256(Files.readAllBytes(file));
            Map<Integer, String> done = linesDone(digest);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Path results = dataDir.resolve("outbox/registry/als/sne-numbers-" + digest.substring(7, 23) + ".jsonl");
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank() || done.containsKey(i + 1)) continue;
                JsonNode request = JSON.readTree(lines.get(i));
                FichierDemande f = new FichierDemande();
                f.typeFichier = request.path("fileType").asText("CRE");
                f.motifRadiation = request.path("radiationReason").isTextual() ? request.path("radiationReason").asText() : null;
                f.numUnique = request.path("requestNumber").isTextual() ? request.path("requestNumber").asText() : null;
                f.version = request.path("version").asInt(1);
                // The SNE may hold the NIR: filtered for (sne, registry), the only grant that lets it through.
                FilterResult forSne = filter.filter(FLOW, request, "sne", FLOW);
                f.demande = new DataHandler(new ByteArrayDataSource(JSON.writeValueAsBytes(forSne.filtered()), "application/json"));
                String number = sne.getNumUnique(f);
                recordLine(digest, i + 1, number);
                ObjectNode result = JSON.createObjectNode().put("line", i + 1).put("fileType", f.typeFichier)
                        .put("requestNumber", number);
                append(results, List.of(JSON.writeValueAsBytes(result)));
                journal.record("sne-" + digest.substring(7, 23) + "-" + (i + 1), FLOW, "sne", Direction.OUT, "REGISTERED",
                        null, FLOW, List.copyOf(forSne.categoriesSent()), List.copyOf(forSne.categoriesDropped()),
                        forSne.droppedPaths(), f.typeFichier);
                sent++;
            }
            Path done2 = inbox.resolve("done");
            Files.createDirectories(done2);
            Files.move(file, done2.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return sent;
    }

    private int passOnRadiations(LocalDate since, Instant started) throws SneFault, IOException {
        List<Radiation> radiations = java.util.Objects.requireNonNullElse(
                sne.getDemandesRadieesDepuisLe(since.toString()), List.of());
        Set<String> numbers = new TreeSet<>();
        radiations.forEach(r -> numbers.add(r.numUnique));
        Set<String> known = registry.existing(numbers);
        Map<String, Set<String>> earlier = registry.previousRecipients(numbers);
        Map<String, List<byte[]>> lines = new HashMap<>();
        List<RegistryStore.Key> kept = new ArrayList<>();
        List<RegistryStore.Delivery> deliveries = new ArrayList<>();
        for (Radiation r : radiations) {
            if (!known.add(r.numUnique + "|" + r.version)) continue;          // passed on by an earlier run
            ObjectNode record = JSON.createObjectNode().put("fileType", "RAD").put("requestNumber", r.numUnique)
                    .put("version", r.version).put("radiationReason", r.motif).put("radiationDate", r.dateRadiation);
            lines.computeIfAbsent("als", k -> new ArrayList<>())
                    .add(JSON.writeValueAsBytes(filter.filter(FLOW, record, "als", FLOW).filtered()));
            byte[] forLandlord = JSON.writeValueAsBytes(filter.filter(FLOW, record, "landlord", FLOW).filtered());
            for (String landlord : earlier.getOrDefault(r.numUnique, Set.of())) {
                lines.computeIfAbsent(landlord, k -> new ArrayList<>()).add(forLandlord);
                deliveries.add(new RegistryStore.Delivery(r.numUnique, landlord));
            }
            kept.add(new RegistryStore.Key(r.numUnique, r.version, "RAD"));
        }
        for (var e : lines.entrySet()) {
            append(dataDir.resolve("outbox/registry").resolve(e.getKey()).resolve("sne-" + STAMP.format(started) + ".jsonl"),
                    e.getValue());
            journal.record("sne-" + STAMP.format(started), FLOW, e.getKey(), Direction.OUT, "WRITTEN", null, FLOW,
                    List.of("message", "request"), List.of(), List.of(), e.getValue().size() + " radiations");
        }
        registry.commitChunk(null, "sne", kept, deliveries, 0, null, clock.instant());
        return kept.size();
    }

    private int passOnDalo(LocalDate since, Instant started) throws SneFault, IOException {
        List<MenageDalo> households = java.util.Objects.requireNonNullElse(
                sne.getNouveauxDaloDepuisLe(since.toString()), List.of());
        List<byte[]> lines = new ArrayList<>();
        List<MenageDalo> fresh = new ArrayList<>();
        for (MenageDalo m : households) {
            if (daloKnown(m)) continue;
            ObjectNode record = JSON.createObjectNode().put("notice", "new_dalo").put("requestNumber", m.numUnique);
            record.putObject("priority").put("dalo", true).put("daloDecisionDate", m.dateDecision);
            lines.add(JSON.writeValueAsBytes(filter.filter(FLOW, record, "als", FLOW).filtered()));
            fresh.add(m);
        }
        if (!lines.isEmpty()) {
            append(dataDir.resolve("outbox/registry/als/sne-dalo-" + STAMP.format(started) + ".jsonl"), lines);
        }
        for (MenageDalo m : fresh) recordDalo(m);
        return fresh.size();
    }

    private static void append(Path file, List<byte[]> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             var ch = java.nio.channels.Channels.newChannel(out)) {
            for (byte[] l : lines) {
                out.write(l);
                out.write('\n');
            }
            out.flush();
        }
    }

    // --- the tables sne_sync, sne_request_line, dalo_household ---

    private java.util.Optional<LocalDate> lastSuccessfulStart() {
        return query("select max(started_at) from sne_sync where status = 'DONE'", rs -> {
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        });
    }

    private long startRun(Instant started, LocalDate since) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into sne_sync (started_at, status, since_date) values (?, 'RUNNING', ?)", new String[]{"id"})) {
            ps.setTimestamp(1, Timestamp.from(started));
            ps.setDate(2, Date.valueOf(since));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record the SNE run", e);
        }
    }

    private void finishRun(long run, String status, int[] counts, String error) {
        update("update sne_sync set finished_at = ?, status = ?, registered = ?, radiations = ?, dalo = ?, error = ? "
                + "where id = ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, status);
            ps.setInt(3, counts[0]);
            ps.setInt(4, counts[1]);
            ps.setInt(5, counts[2]);
            ps.setString(6, error);
            ps.setLong(7, run);
        });
    }

    private Map<Integer, String> linesDone(String digest) {
        Map<Integer, String> m = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select line_no, num_unique from sne_request_line where file_digest = ?")) {
            ps.setString(1, digest);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) m.put(rs.getInt(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the SNE synchronisation", e);
        }
        return m;
    }

    private void recordLine(String digest, int line, String number) {
        update("insert into sne_request_line (file_digest, line_no, num_unique) values (?,?,?)", ps -> {
            ps.setString(1, digest);
            ps.setInt(2, line);
            ps.setString(3, number);
        });
    }

    private boolean daloKnown(MenageDalo m) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from dalo_household where num_unique = ? and decision_date = ?")) {
            ps.setString(1, m.numUnique);
            ps.setDate(2, Date.valueOf(LocalDate.parse(m.dateDecision)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read DALO households", e);
        }
    }

    private void recordDalo(MenageDalo m) {
        update("insert into dalo_household (num_unique, decision_date, departement) values (?,?,?)", ps -> {
            ps.setString(1, m.numUnique);
            ps.setDate(2, Date.valueOf(LocalDate.parse(m.dateDecision)));
            ps.setString(3, m.departement);
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record the SNE synchronisation", e);
        }
    }

    private <T> java.util.Optional<T> query(String sql, Reader<T> reader) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return java.util.Optional.empty();
            return java.util.Optional.ofNullable(reader.read(rs));
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the SNE synchronisation", e);
        }
    }
}
