package fr.logement.gateway.registry.syplo;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import fr.logement.gateway.registry.CmsFileSignature;
import fr.logement.gateway.registry.SharedFileLayout;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SYPLO and the priority households: DALO decisions and priority labels come in as a signed file
 * (schemas/syplo-dalo-decisions-v1.yaml, detached CMS by SYPLO's registered certificate) and go to ALS; the
 * follow-up goes out — for each DALO household, the proposals and allocations that landlords reported through the
 * allocation-event flow — filtered for (syplo, dalo_followup), as a JSON Lines file signed by the gateway (CMS).
 */
public final class SyploExchange {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What an import or an export did. */
    public record Outcome(String outcome, String reason, int records, int rejected, Path file) {
        public String text() {
            return outcome + (reason == null ? "" : " (" + reason + ")") + ": " + records + " records"
                    + (rejected > 0 ? ", " + rejected + " rejected" : "") + (file == null ? "" : " — " + file);
        }
    }

    private final SharedFileLayout layout;
    private final PartnerDirectory partners;
    private final PartnerCertificates certificates;
    private final DataSource db;
    private final OutboundFilter filter;
    private final Journal journal;
    private final AuditTrail audit;
    private final KeyMaterial gatewayKey;
    private final Path dataDir;
    private final Clock clock;

    public SyploExchange(Path schemasDir, Territory territory, PartnerDirectory partners, PartnerCertificates certificates,
                         DataSource db, OutboundFilter filter, Journal journal, AuditTrail audit, KeyMaterial gatewayKey,
                         Path dataDir, Clock clock) {
        this.layout = SharedFileLayout.load(schemasDir.resolve("syplo-dalo-decisions-v1.yaml"), territory);
        this.partners = partners;
        this.certificates = certificates;
        this.db = db;
        this.filter = filter;
        this.journal = journal;
        this.audit = audit;
        this.gatewayKey = gatewayKey;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /** Imports a signed decisions file from SYPLO into ALS; a file whose signature fails is quarantined whole. */
    public Outcome importDecisions(Path file, String senderId) throws IOException {
        Partner sender = partners.find(senderId).filter(p -> p.is(Partner.PartnerKind.syplo)).orElse(null);
        if (sender == null) return quarantine(file, senderId, "the sender is not SYPLO");
        String digest;
        try {
            digest = CmsFileSignature.verify(file, file.resolveSibling(file.getFileName() + ".p7s"),
                    certificates.of(senderId).orElseThrow());
        } catch (CmsFileSignature.Refused r) {
            return quarantine(file, senderId, r.getMessage());
        }
        String run = digest.substring(7, 23);
        Path out = dataDir.resolve("outbox/registry/als/syplo-dalo-" + run + ".jsonl");
        Path rejects = dataDir.resolve("reports/registry/syplo-dalo-" + run + "-rejects.csv");
        List<String> lines = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<String> sent = new TreeSet<>();
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(layout.separator()).withQuoteChar('"');
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = csv.readerFor(String[].class).with(schema).readValues(reader)) {
            String[] header = rows.next();
            List<Problem> hp = layout.checkHeader(header);
            if (!hp.isEmpty()) return quarantine(file, senderId, "the header does not follow the layout: " + hp.get(0).reason());
            long index = 0;
            while (rows.hasNext()) {
                index++;
                SharedFileLayout.Mapped m = layout.toNational(header, rows.next());
                if (!m.problems().isEmpty()) {
                    for (Problem p : m.problems()) rejected.add(index + ";" + p.path() + ";" + p.reason());
                    continue;
                }
                ObjectNode record = m.record();
                record.put("notice", "dalo_decision");
                if ("dalo".equals(record.at("/priority/label").asText())) record.with("priority").put("dalo", true);
                FilterResult forAls = filter.filter("registry", record, "als", "registry");
                sent.addAll(forAls.categoriesSent());
                lines.add(JSON.writeValueAsString(forAls.filtered()));
                recordHousehold(record.path("requestNumber").asText(),
                        LocalDate.parse(record.at("/priority/daloDecisionDate").asText()),
                        record.at("/priority/departement").asText());
            }
        } catch (RuntimeException e) {
            return quarantine(file, senderId, "the file cannot be read as CSV");
        }
        Files.createDirectories(out.getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        if (!rejected.isEmpty()) {
            Files.createDirectories(rejects.getParent());
            List<String> r = new ArrayList<>(List.of("record;field;reason"));
            r.addAll(rejected);
            Files.write(rejects, r, StandardCharsets.UTF_8);
        }
        journal.record("syplo-" + run, "registry", senderId, Direction.IN, "IMPORTED", digest, "registry",
                List.copyOf(sent), List.of(), List.of(), lines.size() + " decisions");
        audit.record(senderId, null, "registry.syplo_import", "syplo-" + run, "imported", lines.size() + " decisions");
        return new Outcome("IMPORTED", null, lines.size(), rejected.size(), out);
    }

    /** Writes, signed, the follow-up of every DALO household: events reported since {@code since}. */
    public Outcome exportFollowup(LocalDate since) throws IOException {
        String sql = "select e.numero_unique, e.event_type, e.decision, e.event_date, e.landlord_id, e.received_at "
                + "from allocation_event e where e.received_at >= ? and e.numero_unique in "
                + "(select num_unique from dalo_household) order by e.received_at, e.message_id";
        List<String> lines = new ArrayList<>();
        Set<String> sent = new TreeSet<>();
        Set<String> dropped = new TreeSet<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since.atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode r = JSON.createObjectNode();
                    r.put("requestNumber", rs.getString(1));
                    r.put("eventType", rs.getString(2));
                    if (rs.getString(3) != null) r.put("decision", rs.getString(3));
                    r.put("eventDate", rs.getDate(4).toLocalDate().toString());
                    r.put("landlordId", rs.getString(5));
                    r.put("reportedAt", rs.getTimestamp(6).toInstant().toString());
                    FilterResult f = filter.filter("dalo_followup", r, "syplo", "dalo_followup");
                    sent.addAll(f.categoriesSent());
                    dropped.addAll(f.categoriesDropped());
                    lines.add(JSON.writeValueAsString(f.filtered()));
                }
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the DALO follow-up", e);
        }
        Path out = dataDir.resolve("outbox/syplo/dalo-followup-since-" + since + "-" + STAMP.format(clock.instant()) + ".jsonl");
        Files.createDirectories(out.getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        Files.write(out.resolveSibling(out.getFileName() + ".p7s"), CmsFileSignature.sign(out, gatewayKey));
        journal.record("syplo-followup-" + STAMP.format(clock.instant()), "dalo_followup", "syplo", Direction.OUT,
                "WRITTEN", null, "dalo_followup", List.copyOf(sent), List.copyOf(dropped), List.of(),
                lines.size() + " events since " + since);
        audit.record("syplo", null, "registry.syplo_export", null, "written", lines.size() + " events");
        return new Outcome("EXPORTED", null, lines.size(), 0, out);
    }

    private void recordHousehold(String number, LocalDate decided, String departement) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement q = c.prepareStatement(
                    "select count(*) from dalo_household where num_unique = ? and decision_date = ?")) {
                q.setString(1, number);
                q.setDate(2, Date.valueOf(decided));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into dalo_household (num_unique, decision_date, departement) values (?,?,?)")) {
                ps.setString(1, number);
                ps.setDate(2, Date.valueOf(decided));
                ps.setString(3, departement);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record a DALO household", e);
        }
    }

    private Outcome quarantine(Path file, String senderId, String reason) throws IOException {
        Path dir = dataDir.resolve("quarantine/syplo").resolve(STAMP.format(clock.instant()) + "-" + file.getFileName());
        Files.createDirectories(dir);
        if (Files.exists(file)) Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path sig = file.resolveSibling(file.getFileName() + ".p7s");
        if (Files.exists(sig)) Files.move(sig, dir.resolve(sig.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("reason.txt"), reason + "\n");
        audit.record(senderId == null ? "unknown" : senderId, null, "registry.syplo_import", null, "quarantined", reason);
        return new Outcome("QUARANTINED", reason, 0, 0, null);
    }
}
