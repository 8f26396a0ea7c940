package fr.logement.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.policy.FieldCatalogue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The demo's summary: for each simulated landlord, how many designations it received, the data categories they
 * held (by the field catalogue), and whether any NIR or handicap-nature marker reached it in any byte it got.
 */
public final class DemoReport {
    /** What one landlord kept of one delivery: the designation as JSON and every byte received. */
    public record Received(JsonNode designation, byte[] raw) {}

    private final FieldCatalogue catalogue;
    private final List<String> nirs;
    private final String handicapMarker;
    private final Map<String, List<Received>> byLandlord = new LinkedHashMap<>();

    public DemoReport(Path configDir, List<String> nirs, String handicapMarker) {
        this.catalogue = FieldCatalogue.load(configDir.resolve("catalogue.yaml"));
        this.nirs = nirs;
        this.handicapMarker = handicapMarker;
    }

    public void add(String landlord, List<Received> received) {
        byLandlord.put(landlord, received);
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-22s %-6s %-5s %-16s %s%n", "landlord", "recv'd", "NIR", "handicap_nature",
                "categories received"));
        for (var e : byLandlord.entrySet()) {
            TreeSet<String> categories = new TreeSet<>();
            for (Received r : e.getValue()) collect(r.designation(), "", categories);
            out.append(String.format("%-22s %-6d %-5s %-16s %s%n", e.getKey(), e.getValue().size(),
                    anyNir(e.getValue()) ? "LEAK" : "none", anyHandicap(e.getValue()) ? "LEAK" : "none",
                    String.join(", ", categories)));
        }
        return out.toString();
    }

    public List<String> failures() {
        List<String> f = new ArrayList<>();
        for (var e : byLandlord.entrySet()) {
            if (e.getValue().isEmpty()) f.add(e.getKey() + " received nothing");
            if (anyNir(e.getValue())) f.add("a NIR reached " + e.getKey());
            if (anyHandicap(e.getValue())) f.add("a handicap nature reached " + e.getKey());
        }
        return f;
    }

    private boolean anyNir(List<Received> received) {
        for (Received r : received) {
            String text = new String(r.raw(), StandardCharsets.UTF_8).replaceAll("[\\s.-]", "");
            for (String nir : nirs) if (text.contains(nir)) return true;
        }
        return false;
    }

    private boolean anyHandicap(List<Received> received) {
        for (Received r : received) {
            if (new String(r.raw(), StandardCharsets.UTF_8).contains(handicapMarker)) return true;
        }
        return false;
    }

    private void collect(JsonNode node, String path, TreeSet<String> categories) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var f = it.next();
                collect(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), categories);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) collect(element, path + "[]", categories);
        } else {
            catalogue.categoryOf("designation", path).ifPresent(categories::add);
        }
    }
}
