package fr.logement.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps communes (INSEE code) to their département and région, from the reference data in config/reference. */
public final class Territory {
    /** Île-de-France: territorial rules apply to the whole région there. */
    public static final String ILE_DE_FRANCE = "11";

    private final Map<String, String> departementOfCommune = new HashMap<>();
    private final Map<String, String> regionOfDepartement = new HashMap<>();
    private final Map<String, List<String>> communesOfDepartement = new HashMap<>();

    private Territory() {}

    public static Territory load(Path referenceDir) {
        Territory t = new Territory();
        try {
            List<String> deps = Files.readAllLines(referenceDir.resolve("departements.csv"), StandardCharsets.UTF_8);
            for (String line : deps.subList(1, deps.size())) {
                String[] f = line.split(",", -1);
                t.regionOfDepartement.put(f[0], f[2]);
            }
            try (var lines = Files.lines(referenceDir.resolve("communes.csv"), StandardCharsets.UTF_8)) {
                lines.skip(1).forEach(line -> {
                    // insee_code,name,departement,... where name may be quoted and hold commas
                    int first = line.indexOf(',');
                    String code = line.substring(0, first);
                    String rest = line.substring(first + 1);
                    String afterName;
                    if (rest.startsWith("\"")) {
                        int close = rest.indexOf("\",", 1);
                        afterName = rest.substring(close + 2);
                    } else {
                        afterName = rest.substring(rest.indexOf(',') + 1);
                    }
                    String dep = afterName.substring(0, afterName.indexOf(','));
                    t.departementOfCommune.put(code, dep);
                    t.communesOfDepartement.computeIfAbsent(dep, k -> new java.util.ArrayList<>()).add(code);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference data in " + referenceDir, e);
        }
        return t;
    }

    public Optional<String> departementOf(String communeInsee) {
        return Optional.ofNullable(departementOfCommune.get(communeInsee));
    }

    /** The INSEE codes of a département's communes (empty for an unknown one). */
    public List<String> communesOf(String departement) {
        return communesOfDepartement.getOrDefault(departement, List.of());
    }

    public Optional<String> regionOf(String departement) {
        return Optional.ofNullable(regionOfDepartement.get(departement));
    }

    public boolean isDepartement(String code) {
        return regionOfDepartement.containsKey(code);
    }

    /**
     * Whether a partner holding homes in the given départements covers a commune: the département itself,
     * or, in Île-de-France, any commune of the région.
     */
    public boolean covers(List<String> departements, String communeInsee) {
        Optional<String> dep = departementOf(communeInsee);
        if (dep.isEmpty()) return false;
        if (departements.contains(dep.get())) return true;
        String region = regionOfDepartement.get(dep.get());
        if (!ILE_DE_FRANCE.equals(region)) return false;
        return departements.stream().anyMatch(d -> ILE_DE_FRANCE.equals(regionOfDepartement.get(d)));
    }
}
