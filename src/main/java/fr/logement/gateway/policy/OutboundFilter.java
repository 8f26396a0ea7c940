package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one filter every outbound message goes through: a field passes only if the catalogue knows its category and
 * the recipient's (kind, purpose) is granted it (default deny); the NIR reaches nobody but the SNE whatever the
 * configuration; NIRs hidden in text are redacted. Works on canonical JSON (XML is mapped to it by CanonicalXml).
 */
public final class OutboundFilter {
    static final String SNE = "sne";
    private final FieldCatalogue catalogue;
    private final Grants grants;

    public OutboundFilter(FieldCatalogue catalogue, Grants grants) {
        this.catalogue = catalogue;
        this.grants = grants;
    }

    /** Loads catalogue.yaml and grants.yaml from the configuration directory. */
    public static OutboundFilter load(Path configDir) {
        return new OutboundFilter(FieldCatalogue.load(configDir.resolve("catalogue.yaml")),
                Grants.load(configDir.resolve("grants.yaml")));
    }

    public FieldCatalogue catalogue() {
        return catalogue;
    }

    /** Keeps what (recipient kind, purpose) may receive; never changes {@code message}. */
    public FilterResult filter(String messageKind, JsonNode message, String recipientKind, String purpose) {
        return run(messageKind, message, grants.grantFor(recipientKind, purpose), SNE.equals(recipientKind),
                recipientKind + "/" + purpose);
    }

    /** Keeps what at least one recipient of {@code flow} may receive: what is dropped here is never stored. */
    public FilterResult minimiseForFlow(String messageKind, JsonNode message, String flow) {
        boolean toSne = grants.recipientsOf(flow).stream().anyMatch(r -> SNE.equals(r.kind()));
        return run(messageKind, message, grants.unionFor(flow), toSne, "flow:" + flow);
    }

    private FilterResult run(String kind, JsonNode message, Grants.Grant grant, boolean toSne, String audience) {
        Map<String, Decision> plan = decisions.computeIfAbsent(kind + '\u0000' + audience,
                k -> new java.util.concurrent.ConcurrentHashMap<>());
        Walk w = new Walk(kind, grant, toSne, plan);
        JsonNode out = w.copy(message, "", new Where(null, null, -1));
        if (out == null) out = JsonNodeFactory.instance.objectNode();
        return new FilterResult(out, w.sent, w.dropped, List.copyOf(w.droppedPaths), w.redactions, w.unknown);
    }

    private final class Walk {
        final String kind;
        final Grants.Grant grant;
        final boolean toSne;
        final TreeSet<String> sent = new TreeSet<>();
        final TreeSet<String> dropped = new TreeSet<>();
        final List<String> droppedPaths = new ArrayList<>();
        int redactions;
        boolean unknown;

        final Map<String, Decision> plan;

        Walk(String kind, Grants.Grant grant, boolean toSne, Map<String, Decision> plan) {
            this.plan = plan;
            this.kind = kind;
            this.grant = grant;
            this.toSne = toSne;
        }

        /** A filtered copy of {@code node}, or null when nothing of it may pass. */
        JsonNode copy(JsonNode node, String pattern, Where where) {
            if (node.isObject() && node.size() > 0) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    var f = it.next();
                    JsonNode kept = copy(f.getValue(), join(pattern, f.getKey()), new Where(where, f.getKey(), -1));
                    if (kept != null) out.set(f.getKey(), kept);
                }
                return out.isEmpty() ? null : out;
            }
            if (node.isArray() && node.size() > 0) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                int i = 0;
                String elements = pattern + "[]";
                for (JsonNode element : node) {
                    JsonNode kept = copy(element, elements, new Where(where, null, i++));
                    // Keep positions: a dropped element leaves a null, so indices in what was sent still match.
                    out.add(kept == null ? JsonNodeFactory.instance.nullNode() : kept);
                }
                boolean allDropped = true;
                for (JsonNode e : out) if (!e.isNull()) allDropped = false;
                return allDropped ? null : out;
            }
            return leaf(node, pattern, where);
        }

        JsonNode leaf(JsonNode node, String pattern, Where concrete) {
            Decision d = plan.computeIfAbsent(pattern, k -> decide(kind, grant, pattern));
            String category = d.category();
            if (category == null) {
                unknown = true;
                dropped.add("unknown");
                droppedPaths.add(concrete.toString());
                return null;
            }
            boolean allowed = d.allowed() && (toSne || !category.equals("nir"));
            if (!allowed) {
                dropped.add(category);
                droppedPaths.add(concrete.toString());
                return null;
            }
            sent.add(category);
            if (!toSne && node.isTextual()) {
                Nir.Redaction r = Nir.redact(node.asText());
                if (r.count() > 0) {
                    redactions += r.count();
                    return TextNode.valueOf(r.text());
                }
            }
            return node.isValueNode() ? node : node.deepCopy();   // value nodes are immutable
        }
    }

    /** What the catalogue and a grant say of one pattern path: its category (null: unknown) and whether it passes. */
    private record Decision(String category, boolean allowed) {}

    /** Per grant, per (kind, pattern path): decided once, then looked up (a filter runs for every record of a batch). */
    private final Map<String, Map<String, Decision>> decisions =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Decision decide(String kind, Grants.Grant grant, String pattern) {
        String category = catalogue.categoryOf(kind, pattern).orElse(null);
        return new Decision(category, category != null && grant.allows(category, pattern));
    }

    /** The concrete path of a field ({@code candidates[0].identity.nir}), spelled out only when it is journaled. */
    private record Where(Where parent, String key, int index) {
        @Override
        public String toString() {
            if (parent == null) return key == null ? "" : key;
            String p = parent.toString();
            if (key == null) return p + "[" + index + "]";
            return p.isEmpty() ? key : p + "." + key;
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
