package fr.logement.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner.PartnerKind;
import fr.logement.gateway.config.Partner.Protocol;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The partners of config/partners.yaml, checked at load: a wrong entry stops start-up with a clear message. */
public final class PartnerDirectory {
    private static final Set<String> FIELDS = Set.of("id", "kind", "name", "siren", "siret", "territory",
            "protocol", "endpoint", "certificate");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private final Map<String, Partner> byId;

    private PartnerDirectory(Map<String, Partner> byId) {
        this.byId = byId;
    }

    /**
     * Loads and checks the partners file.
     *
     * @param settings resolves {@code ${key}} placeholders in endpoints (ports differ between demo and tests)
     */
    public static PartnerDirectory load(Path file, Territory territory, UnaryOperator<String> settings) {
        String name = file.getFileName().toString();
        JsonNode root = YamlFiles.read(file);
        if (root == null || !root.path("partners").isArray()) {
            throw new ConfigurationException(name, "partners", "must be a list of partners");
        }
        Map<String, Partner> byId = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode node : root.path("partners")) {
            String entry = "partners[" + index++ + "]";
            Partner p = parse(name, entry, node, territory, settings);
            if (byId.putIfAbsent(p.id(), p) != null) {
                throw new ConfigurationException(name, entry + ".id", "duplicate partner id '" + p.id() + "'");
            }
        }
        return new PartnerDirectory(byId);
    }

    private static Partner parse(String file, String entry, JsonNode n, Territory territory,
                                 UnaryOperator<String> settings) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new ConfigurationException(file, entry + "." + f, "unknown field (expected one of " + FIELDS + ")");
            }
        }
        String id = text(n, "id");
        if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new ConfigurationException(file, entry + ".id", "required, lower-case letters, digits, '-' or '_'");
        }
        entry = entry + " (" + id + ")";
        PartnerKind kind = enumOf(PartnerKind.class, text(n, "kind"), file, entry + ".kind");
        String siren = text(n, "siren");
        if (siren != null && !Identifiers.isSiren(siren)) {
            throw new ConfigurationException(file, entry + ".siren", "not a valid SIREN (9 digits with a Luhn check digit)");
        }
        String siret = text(n, "siret");
        if (siret != null && !Identifiers.isSiret(siret)) {
            throw new ConfigurationException(file, entry + ".siret", "not a valid SIRET (14 digits with a Luhn check digit)");
        }
        if (kind == PartnerKind.employer && siret == null) {
            throw new ConfigurationException(file, entry + ".siret", "required for an employer");
        }
        List<String> deps = new ArrayList<>();
        for (JsonNode d : n.path("territory")) {
            String code = d.asText();
            if (!territory.isDepartement(code)) {
                throw new ConfigurationException(file, entry + ".territory", "unknown département '" + code + "'");
            }
            deps.add(code);
        }
        if (kind == PartnerKind.landlord && deps.isEmpty()) {
            throw new ConfigurationException(file, entry + ".territory", "a landlord must list the départements where it holds homes");
        }
        Protocol protocol = n.has("protocol") ? enumOf(Protocol.class, text(n, "protocol"), file, entry + ".protocol") : null;
        URI endpoint = null;
        String rawEndpoint = text(n, "endpoint");
        String resolved = rawEndpoint == null ? "" : resolve(rawEndpoint, settings, file, entry + ".endpoint").trim();
        if (!resolved.isEmpty()) {   // an endpoint that resolves to nothing is not configured
            try {
                endpoint = URI.create(resolved);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(file, entry + ".endpoint", "not a valid URL");
            }
            if (!"https".equals(endpoint.getScheme())) {
                throw new ConfigurationException(file, entry + ".endpoint", "must be an https URL (mutual TLS)");
            }
        }
        if (kind == PartnerKind.landlord && (protocol == null || endpoint == null)) {
            throw new ConfigurationException(file, entry, "a landlord needs a protocol (soap or rest) and a delivery endpoint");
        }
        String certificate = text(n, "certificate");
        if (certificate == null) {
            throw new ConfigurationException(file, entry + ".certificate", "required: the partner's registered certificate (PEM)");
        }
        return new Partner(id, kind, text(n, "name"), siren, siret, List.copyOf(deps), protocol, endpoint, certificate);
    }

    private static String resolve(String value, UnaryOperator<String> settings, String file, String entry) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = settings.apply(m.group(1));
            if (v == null) throw new ConfigurationException(file, entry, "unknown setting '" + m.group(1) + "'");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String file, String entry) {
        if (value == null) throw new ConfigurationException(file, entry, "required");
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) allowed.add(c.name());
            throw new ConfigurationException(file, entry, "'" + value + "' is not one of " + allowed);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public Optional<Partner> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    public Collection<Partner> all() {
        return byId.values();
    }

    public List<Partner> ofKind(PartnerKind kind) {
        return byId.values().stream().filter(p -> p.kind() == kind).toList();
    }
}
