package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.ConfigurationException;
import fr.logement.gateway.config.YamlFiles;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field catalogue (config/catalogue.yaml): per message kind, field path → exactly one data category. An entry
 * names one field (and the elements, if it is a list of values); an entry ending in {@code .**} covers a whole
 * subtree. The exact entry wins, then the longest subtree. A field no entry covers has no category and is therefore
 * never sent (default deny): a field added to a message is dropped until someone catalogues it.
 */
public final class FieldCatalogue {
    /** The categories of the brief, plus two that hold no personal data: the home on offer and the message envelope. */
    public static final Set<String> CATEGORIES = Set.of("nir", "identity", "contact", "household", "professional",
            "financial", "current_housing", "request", "motive", "priority", "handicap_need", "handicap_nature",
            "documents", "score", "application_history", "offer", "message");
    private static final Pattern PATH =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[])?(\\.[A-Za-z_][A-Za-z0-9_]*(\\[])?)*(\\.\\*\\*)?");
    private static final String SUBTREE = ".**";

    private final Map<String, Map<String, String>> byKind;

    private FieldCatalogue(Map<String, Map<String, String>> byKind) {
        this.byKind = byKind;
    }

    public static FieldCatalogue load(Path file) {
        String name = file.getFileName().toString();
        JsonNode root = YamlFiles.read(file);
        if (root == null || !root.isObject()) throw new ConfigurationException(name, "(root)", "must map message kinds to fields");
        Map<String, Map<String, String>> byKind = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> kinds = root.fields(); kinds.hasNext(); ) {
            var kind = kinds.next();
            Map<String, String> paths = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = kind.getValue().fields(); it.hasNext(); ) {
                var e = it.next();
                String entry = kind.getKey() + "." + e.getKey();
                if (!PATH.matcher(e.getKey()).matches()) {
                    throw new ConfigurationException(name, entry, "not a field path (a.b, a[].b)");
                }
                String category = e.getValue().asText();
                if (!CATEGORIES.contains(category)) {
                    throw new ConfigurationException(name, entry, "unknown category '" + category + "'");
                }
                paths.put(e.getKey(), category);
            }
            byKind.put(kind.getKey(), paths);
        }
        return new FieldCatalogue(byKind);
    }

    /** The category of a field, by its pattern path ({@code candidates[].identity.nir}); empty if uncatalogued. */
    /** Lookups are memoised: a message kind has few distinct pattern paths, and the filter asks for each field. */
    private final java.util.concurrent.ConcurrentHashMap<String, Optional<String>> memo =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Optional<String> categoryOf(String kind, String patternPath) {
        if (memo.size() > 100_000) memo.clear();   // unbounded keys are a bug elsewhere; stay bounded anyway
        return memo.computeIfAbsent(kind + '\u0000' + patternPath, k -> lookup(kind, patternPath));
    }

    private Optional<String> lookup(String kind, String patternPath) {
        Map<String, String> paths = byKind.get(kind);
        if (paths == null) return Optional.empty();
        String exact = paths.get(patternPath);
        if (exact == null && patternPath.endsWith("[]")) {
            exact = paths.get(patternPath.substring(0, patternPath.length() - 2)); // an element of a list of values
        }
        if (exact != null) return Optional.of(exact);
        String p = patternPath;
        while (true) {
            String c = paths.get(p + SUBTREE);
            if (c != null) return Optional.of(c);
            int cut = Math.max(p.lastIndexOf('.'), p.endsWith("[]") ? p.length() - 2 : -1);
            if (cut <= 0) return Optional.empty();
            p = p.substring(0, cut);
        }
    }

    public boolean knowsKind(String kind) {
        return byKind.containsKey(kind);
    }
}
