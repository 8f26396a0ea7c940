package fr.logement.gateway.retention;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.ConfigurationException;
import fr.logement.gateway.config.YamlFiles;
import fr.logement.gateway.policy.FieldCatalogue;

import java.nio.file.Path;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The retention periods of config/retention.yaml: per data category and per kind of record, how long it is kept
 * and from which event. Checked at load: every category of the catalogue has a period, every record kind the
 * gateway keeps has one, and nothing unknown is accepted.
 */
public final class RetentionPolicy {
    /** The event that starts the retention clock. */
    public enum Clock { received, delivered, designation, application, radiation, rolling }

    /** How long, from when. */
    public record Rule(Period keep, Clock from) {}

    /** The kinds of record the gateway keeps besides message categories. */
    public static final Set<String> RECORDS = Set.of("message_bodies", "journal_metadata", "audit",
            "connection_logs", "dead_letters");
    private static final Set<String> SECTIONS = Set.of("categories", "records");

    private final Map<String, Rule> categories;
    private final Map<String, Rule> records;

    private RetentionPolicy(Map<String, Rule> categories, Map<String, Rule> records) {
        this.categories = categories;
        this.records = records;
    }

    public static RetentionPolicy load(Path file) {
        String name = file.getFileName().toString();
        JsonNode root = YamlFiles.read(file);
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(name, "(root)", "must hold 'categories' and 'records'");
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!SECTIONS.contains(f)) throw new ConfigurationException(name, f, "unknown section (expected " + SECTIONS + ")");
        });
        Map<String, Rule> categories = section(name, root, "categories", FieldCatalogue.CATEGORIES);
        Map<String, Rule> records = section(name, root, "records", RECORDS);
        return new RetentionPolicy(categories, records);
    }

    private static Map<String, Rule> section(String file, JsonNode root, String section, Set<String> expected) {
        JsonNode node = root.path(section);
        if (!node.isObject()) throw new ConfigurationException(file, section, "required, a map of entries");
        Map<String, Rule> rules = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String entry = section + "." + e.getKey();
            if (!expected.contains(e.getKey())) {
                throw new ConfigurationException(file, entry, "unknown " + section + " entry (expected one of "
                        + new TreeSet<>(expected) + ")");
            }
            rules.put(e.getKey(), rule(file, entry, e.getValue()));
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(rules.keySet());
        if (!missing.isEmpty()) {
            throw new ConfigurationException(file, section, "no retention period for " + missing);
        }
        return rules;
    }

    private static Rule rule(String file, String entry, JsonNode n) {
        if (!n.isObject()) throw new ConfigurationException(file, entry, "must be {keep: P…, from: …}");
        n.fieldNames().forEachRemaining(f -> {
            if (!f.equals("keep") && !f.equals("from")) {
                throw new ConfigurationException(file, entry + "." + f, "unknown field (expected keep, from)");
            }
        });
        Period keep;
        try {
            keep = Period.parse(n.path("keep").asText(""));
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(file, entry + ".keep", "not an ISO-8601 period such as P30D, P6M or P1Y");
        }
        if (keep.isNegative()) throw new ConfigurationException(file, entry + ".keep", "must not be negative");
        Clock from;
        try {
            from = Clock.valueOf(n.path("from").asText(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(file, entry + ".from", "unknown clock '" + n.path("from").asText("")
                    + "' (expected one of " + java.util.Arrays.toString(Clock.values()) + ")");
        }
        return new Rule(keep, from);
    }

    /** The rule for a data category of the catalogue. */
    public Rule category(String category) {
        Rule r = categories.get(category);
        if (r == null) throw new IllegalArgumentException("no retention rule for category " + category);
        return r;
    }

    /** The rule for a kind of record (message_bodies, journal_metadata, audit, connection_logs, dead_letters). */
    public Rule record(String kind) {
        Rule r = records.get(kind);
        if (r == null) throw new IllegalArgumentException("no retention rule for record kind " + kind);
        return r;
    }
}
