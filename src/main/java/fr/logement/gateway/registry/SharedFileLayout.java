package fr.logement.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.ConfigurationException;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.config.YamlFiles;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.policy.Nir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A batch file layout of schemas/ (columns, types, codes) and the bridge it defines between a file's records and
 * the national registry model, both ways. Validation names the column and the reason, never the value.
 */
public final class SharedFileLayout {
    private static final DateTimeFormatter FR = DateTimeFormatter.ofPattern("dd/MM/uuuu")
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    private static final Set<String> TYPES = Set.of("text", "code", "integer", "amount", "date", "nir", "communes", "flag",
            "siren", "siret");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One column of the layout. */
    public record Column(String name, String field, String type, boolean required, Map<String, String> codes,
                         Pattern pattern, Integer max, Long minValue, Long maxValue) {}

    private final List<Column> columns;
    private final Map<String, Column> byName;
    private final char separator;
    private final Territory territory;

    private SharedFileLayout(List<Column> columns, char separator, Territory territory) {
        this.columns = columns;
        this.separator = separator;
        this.territory = territory;
        this.byName = new HashMap<>();
        columns.forEach(c -> byName.put(c.name(), c));
    }

    public static SharedFileLayout load(Path file, Territory territory) {
        String name = file.getFileName().toString();
        JsonNode root = YamlFiles.read(file);
        String sep = root.at("/format/separator").asText(";");
        if (sep.length() != 1) throw new ConfigurationException(name, "format.separator", "one character");
        List<Column> cols = new ArrayList<>();
        int i = 0;
        for (JsonNode c : root.path("columns")) {
            String entry = "columns[" + i++ + "]";
            String type = c.path("type").asText("");
            if (!TYPES.contains(type)) throw new ConfigurationException(name, entry + ".type", "unknown type '" + type + "'");
            Map<String, String> codes = new LinkedHashMap<>();
            c.path("codes").fields().forEachRemaining(e -> codes.put(e.getKey(), e.getValue().asText()));
            if (type.equals("code") && codes.isEmpty()) throw new ConfigurationException(name, entry + ".codes", "required for a code");
            cols.add(new Column(c.path("name").asText(), c.path("field").asText(), type, c.path("required").asBoolean(false),
                    codes, c.has("pattern") ? Pattern.compile(c.path("pattern").asText()) : null,
                    c.has("max") && !type.equals("integer") ? c.path("max").asInt() : null,
                    c.has("min") ? c.path("min").asLong() : null,
                    c.has("max") && type.equals("integer") ? c.path("max").asLong() : null));
        }
        if (cols.isEmpty()) throw new ConfigurationException(name, "columns", "at least one column");
        return new SharedFileLayout(List.copyOf(cols), sep.charAt(0), territory);
    }

    public char separator() {
        return separator;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Problems with a header line: unknown columns, missing required ones. */
    public List<Problem> checkHeader(String[] header) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String h : header) {
            if (!byName.containsKey(h.trim())) problems.add(new Problem("header", "unknown column " + h.trim()));
            if (!seen.add(h.trim())) problems.add(new Problem("header", "column " + h.trim() + " appears twice"));
        }
        for (Column c : columns) {
            if (c.required() && !seen.contains(c.name())) problems.add(new Problem("header", "missing column " + c.name()));
        }
        return problems;
    }

    /** A record in the national model, or the problems that keep it out. */
    public record Mapped(ObjectNode record, List<Problem> problems) {}

    /** Maps one row ({@code header[i]} names {@code values[i]}) onto the national model. */
    public Mapped toNational(String[] header, String[] values) {
        ObjectNode out = F.objectNode();
        List<Problem> problems = new ArrayList<>();
        if (values.length != header.length) {
            problems.add(new Problem("record", "has " + values.length + " fields, the header " + header.length));
            return new Mapped(out, problems);
        }
        Set<String> present = new java.util.HashSet<>();
        for (int i = 0; i < header.length; i++) {
            Column c = byName.get(header[i].trim());
            String v = values[i] == null ? "" : values[i].trim();
            if (v.isEmpty()) continue;
            present.add(c.name());
            JsonNode value = convert(c, v, problems);
            if (value != null) put(out, c.field(), value);
        }
        for (Column c : columns) {
            if (c.required() && !present.contains(c.name())) problems.add(new Problem(c.name(), "required"));
        }
        if ("RAD".equals(out.path("fileType").asText()) && !out.has("radiationReason")) {
            problems.add(new Problem("MOTIF_RAD", "required for a radiation"));
        }
        return new Mapped(out, problems);
    }

    private JsonNode convert(Column c, String v, List<Problem> problems) {
        switch (c.type()) {
            case "text" -> {
                if (c.max() != null && v.length() > c.max()) {
                    problems.add(new Problem(c.name(), "longer than " + c.max() + " characters"));
                    return null;
                }
                if (c.pattern() != null && !c.pattern().matcher(v).matches()) {
                    problems.add(new Problem(c.name(), "does not match " + c.pattern().pattern()));
                    return null;
                }
                return F.textNode(v);
            }
            case "code" -> {
                String mapped = c.codes().get(v);
                if (mapped == null) problems.add(new Problem(c.name(), "not one of " + c.codes().keySet()));
                return mapped == null ? null : F.textNode(mapped);
            }
            case "integer" -> {
                try {
                    long n = Long.parseLong(v);
                    if ((c.minValue() != null && n < c.minValue()) || (c.maxValue() != null && n > c.maxValue())) {
                        problems.add(new Problem(c.name(), "out of range " + c.minValue() + ".." + c.maxValue()));
                        return null;
                    }
                    return F.numberNode(n);
                } catch (NumberFormatException e) {
                    problems.add(new Problem(c.name(), "not a whole number"));
                    return null;
                }
            }
            case "amount" -> {
                try {
                    return F.numberNode(new java.math.BigDecimal(v.replace(',', '.')));
                } catch (NumberFormatException e) {
                    problems.add(new Problem(c.name(), "not an amount"));
                    return null;
                }
            }
            case "date" -> {
                try {
                    return F.textNode(LocalDate.parse(v, FR).toString());
                } catch (DateTimeParseException e) {
                    problems.add(new Problem(c.name(), "not a date dd/MM/yyyy"));
                    return null;
                }
            }
            case "nir" -> {
                String compact = v.replace(" ", "");
                if (!Nir.isValid(compact)) {
                    problems.add(new Problem(c.name(), "not a valid NIR (wrong length or key)"));
                    return null;
                }
                return F.textNode(compact);
            }
            case "siren" -> {
                if (!fr.logement.gateway.config.Identifiers.isSiren(v)) {
                    problems.add(new Problem(c.name(), "not a valid SIREN (9 digits, Luhn check digit)"));
                    return null;
                }
                return F.textNode(v);
            }
            case "siret" -> {
                if (!fr.logement.gateway.config.Identifiers.isSiret(v)) {
                    problems.add(new Problem(c.name(), "not a valid SIRET (14 digits, check digit)"));
                    return null;
                }
                return F.textNode(v);
            }
            case "communes" -> {
                ArrayNode a = F.arrayNode();
                for (String code : v.split("\\|")) {
                    String k = code.trim();
                    if (territory.departementOf(k).isEmpty()) {
                        problems.add(new Problem(c.name(), "unknown commune code"));
                        return null;
                    }
                    a.add(k);
                }
                return a;
            }
            case "flag" -> {
                if (!v.equals("O") && !v.equals("N")) {
                    problems.add(new Problem(c.name(), "expected O or N"));
                    return null;
                }
                return F.booleanNode(v.equals("O"));
            }
            default -> throw new IllegalStateException(c.type());
        }
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode o = root;
        for (int i = 0; i < parts.length - 1; i++) o = o.with(parts[i]);
        o.set(parts[parts.length - 1], value);
    }

    /** The national record back in this layout's terms: one value per column, in the layout's order. */
    public String[] fromNational(JsonNode record) {
        String[] out = new String[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            JsonNode v = record.at("/" + c.field().replace('.', '/'));
            out[i] = v.isMissingNode() || v.isNull() ? "" : back(c, v);
        }
        return out;
    }

    private static String back(Column c, JsonNode v) {
        return switch (c.type()) {
            case "code" -> c.codes().entrySet().stream().filter(e -> e.getValue().equals(v.asText()))
                    .map(Map.Entry::getKey).findFirst().orElse("");
            case "date" -> LocalDate.parse(v.asText()).format(FR);
            case "communes" -> {
                List<String> l = new ArrayList<>();
                v.forEach(x -> l.add(x.asText()));
                yield String.join("|", l);
            }
            case "flag" -> v.asBoolean() ? "O" : "N";
            case "amount" -> v.decimalValue().toPlainString().replace('.', ',');
            default -> v.asText();
        };
    }

    /** Header names in the layout's order. */
    public String[] header() {
        return columns.stream().map(Column::name).toArray(String[]::new);
    }
}
