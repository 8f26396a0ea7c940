package fr.logement.gateway.dataprotection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Transactions;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Erasure of a request's data: removes the bodies the gateway still keeps about a request number — allocation
 * events already forwarded, its records in the outboxes, what its employer could see of it — and says what it could not erase and why (an event not
 * yet forwarded to ALS; metadata and audit entries kept for accountability until their retention ends). Audited.
 */
public final class Erasure {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was erased (counts) and what was kept, with the reason. */
    public record Outcome(Map<String, Integer> erased, List<Map<String, String>> kept) {}

    private final DataSource db;
    private final AuditTrail audit;
    private final Path dataDir;

    public Erasure(DataSource db, AuditTrail audit, Path dataDir) {
        this.db = db;
        this.audit = audit;
        this.dataDir = dataDir;
    }

    public Outcome erase(String nur, String operator) {
        if (nur == null || !nur.matches("[A-Za-z0-9]{1,18}")) {
            throw new IllegalArgumentException("a request number is 1 to 18 letters or digits");
        }
        Map<String, Integer> erased = new LinkedHashMap<>();
        List<Map<String, String>> kept = new ArrayList<>();
        int[] pending = new int[1];
        erased.put("allocation event bodies", Transactions.inTransaction(db, "erase", c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "select count(*) from allocation_event where numero_unique = ? and status <> 'FORWARDED'")) {
                q.setString(1, nur);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    pending[0] = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update allocation_event set forwarded = '{}' "
                    + "where numero_unique = ? and status = 'FORWARDED' and forwarded <> '{}'")) {
                ps.setString(1, nur);
                return ps.executeUpdate();
            }
        }));
        if (pending[0] > 0) {
            kept.add(Map.of("what", pending[0] + " allocation event(s)", "why",
                    "not yet forwarded to ALS: erased once delivered (the gateway may not lose an accepted event)"));
        }
        erased.put("outbox records", eraseFromOutboxes(nur));
        erased.put("employer view of the request", Transactions.inTransaction(db, "erase", c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from employee_request_view where numero_unique = ?")) {
                ps.setString(1, nur);
                return ps.executeUpdate();
            }
        }));
        kept.add(Map.of("what", "journal, delivery and idempotency metadata (ids, dates, categories, recipients)",
                "why", "kept for accountability until their retention ends (config/retention.yaml: journal_metadata)"));
        kept.add(Map.of("what", "audit entries", "why", "append-only and kept one year (config/retention.yaml: audit)"));
        kept.add(Map.of("what", "what recipients already received", "why",
                "held by them; a rectification or radiation reaches them through their normal channel"));
        audit.record("operator", operator, "subject.erased", null, "ok", "request " + nur + " " + erased,
                java.util.List.of(nur));
        return new Outcome(erased, kept);
    }

    /** Rewrites every outbox file without the lines about {@code nur}; returns how many lines went. */
    private int eraseFromOutboxes(String nur) {
        Path outbox = dataDir.resolve("outbox");
        if (!Files.isDirectory(outbox)) return 0;
        int removed = 0;
        try (Stream<Path> files = Files.walk(outbox)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jsonl"))::iterator) {
                Path tmp = f.resolveSibling(f.getFileName() + ".erasing");
                int here = 0;
                try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8);
                     BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.contains(nur) && about(line, nur)) {
                            here++;
                            continue;
                        }
                        out.write(line);
                        out.write('\n');
                    }
                }
                if (here > 0) Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                else Files.delete(tmp);
                removed += here;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot erase from the outboxes", e);
        }
        return removed;
    }

    private static boolean about(String line, String nur) {
        try {
            JsonNode n = JSON.readTree(line);
            return nur.equals(n.path("requestNumber").asText()) || nur.equals(n.path("numeroUnique").asText());
        } catch (IOException e) {
            return false;
        }
    }
}
