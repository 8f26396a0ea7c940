package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.ConfigurationException;
import fr.logement.gateway.config.YamlFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grants (config/grants.yaml): for each (recipient kind, purpose), the data categories it may receive — all of
 * a category, or only some of its fields — and for each flow, the (recipient kind, purpose) pairs it may reach.
 * Refuses at load what no configuration may say: the NIR to anyone but the SNE, the nature of a handicap to a landlord.
 */
public final class Grants {
    public static final Set<String> RECIPIENT_KINDS = Set.of("als", "landlord", "sne", "regional_file", "syplo",
            "employer", "statistics");

    /**
     * What one (recipient kind, purpose) may receive: whole categories, and categories of which only some fields
     * (pattern paths, with their subtrees) may pass — e.g. of {@code score}, only {@code candidates[].rank}.
     */
    public record Grant(Set<String> whole, Map<String, Set<String>> restricted) {
        public boolean allows(String category, String patternPath) {
            if (whole.contains(category)) return true;
            for (String allowed : restricted.getOrDefault(category, Set.of())) {
                if (patternPath.equals(allowed) || patternPath.startsWith(allowed + ".")
                        || patternPath.startsWith(allowed + "[]")) {
                    return true;
                }
            }
            return false;
        }

        /** What either of two grants allows: a flow's ingress keeps whatever any of its recipients may receive. */
        Grant union(Grant other) {
            Set<String> w = new HashSet<>(whole);
            w.addAll(other.whole);
            Map<String, Set<String>> r = new HashMap<>();
            for (Grant g : List.of(this, other)) {
                g.restricted.forEach((k, v) -> r.computeIfAbsent(k, x -> new HashSet<>()).addAll(v));
            }
            w.forEach(r::remove);
            return new Grant(Set.copyOf(w), Map.copyOf(r));
        }
    }

    public record Recipient(String kind, String purpose) {}

    private final Map<Recipient, Grant> grants;
    private final Map<String, List<Recipient>> flows;

    private Grants(Map<Recipient, Grant> grants, Map<String, List<Recipient>> flows) {
        this.grants = grants;
        this.flows = flows;
    }

    public static Grants load(Path file) {
        String name = file.getFileName().toString();
        JsonNode root = YamlFiles.read(file);
        if (root == null || !root.path("grants").isObject()) {
            throw new ConfigurationException(name, "grants", "must map recipient kinds to purposes to categories");
        }
        Map<Recipient, Grant> grants = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> kinds = root.path("grants").fields(); kinds.hasNext(); ) {
            var kind = kinds.next();
            if (!RECIPIENT_KINDS.contains(kind.getKey())) {
                throw new ConfigurationException(name, "grants." + kind.getKey(), "unknown recipient kind (expected one of "
                        + RECIPIENT_KINDS + ")");
            }
            for (Iterator<Map.Entry<String, JsonNode>> purposes = kind.getValue().fields(); purposes.hasNext(); ) {
                var purpose = purposes.next();
                Set<String> whole = new HashSet<>();
                Map<String, Set<String>> restricted = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> cats = purpose.getValue().fields(); cats.hasNext(); ) {
                    var cat = cats.next();
                    String entry = "grants." + kind.getKey() + "." + purpose.getKey() + "." + cat.getKey();
                    check(name, entry, kind.getKey(), cat.getKey());
                    if (cat.getValue().isTextual() && cat.getValue().asText().equals("all")) {
                        whole.add(cat.getKey());
                    } else if (cat.getValue().isArray()) {
                        Set<String> only = new HashSet<>();
                        cat.getValue().forEach(p -> only.add(p.asText()));
                        restricted.put(cat.getKey(), Set.copyOf(only));
                    } else {
                        throw new ConfigurationException(name, entry, "must be 'all' or a list of field paths");
                    }
                }
                grants.put(new Recipient(kind.getKey(), purpose.getKey()), new Grant(Set.copyOf(whole), Map.copyOf(restricted)));
            }
        }
        Map<String, List<Recipient>> flows = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("flows").fields(); it.hasNext(); ) {
            var flow = it.next();
            List<Recipient> recipients = new ArrayList<>();
            for (JsonNode r : flow.getValue()) {
                Recipient rec = new Recipient(r.path("recipient").asText(), r.path("purpose").asText());
                if (!grants.containsKey(rec)) {
                    throw new ConfigurationException(name, "flows." + flow.getKey(), "no grant for " + rec.kind() + "/" + rec.purpose());
                }
                recipients.add(rec);
            }
            flows.put(flow.getKey(), List.copyOf(recipients));
        }
        return new Grants(grants, flows);
    }

    private static void check(String file, String entry, String kind, String category) {
        if (!FieldCatalogue.CATEGORIES.contains(category)) {
            throw new ConfigurationException(file, entry, "unknown category");
        }
        if (category.equals("nir") && !kind.equals("sne")) {
            throw new ConfigurationException(file, entry, "the NIR may be sent to the SNE only");
        }
        if (category.equals("handicap_nature") && kind.equals("landlord")) {
            throw new ConfigurationException(file, entry, "the nature of a handicap never reaches a landlord");
        }
    }

    public Grant grantFor(String recipientKind, String purpose) {
        return grants.getOrDefault(new Recipient(recipientKind, purpose), new Grant(Set.of(), Map.of()));
    }

    public List<Recipient> recipientsOf(String flow) {
        return flows.getOrDefault(flow, List.of());
    }

    /** The union of the grants of a flow's recipients: what may be kept at the door. */
    public Grant unionFor(String flow) {
        Grant g = new Grant(Set.of(), Map.of());
        for (Recipient r : recipientsOf(flow)) g = g.union(grantFor(r.kind(), r.purpose()));
        return g;
    }
}
