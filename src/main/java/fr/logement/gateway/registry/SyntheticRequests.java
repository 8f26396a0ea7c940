package fr.logement.gateway.registry;

import fr.logement.gateway.config.Territory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes realistic synthetic departmental shared files (schemas/departmental-shared-file-v1.yaml): valid NIR keys
 * (2A/2B included), real communes, households of 1 to 8, a share of DALO and handicap cases, free text with
 * accents, quotes, ';' and newlines; optionally every n-th record broken in a known way. Streamed: any size.
 */
public final class SyntheticRequests {
    /** The marker every synthetic handicap nature carries, so leak tests can look for it anywhere. */
    public static final String HANDICAP_MARKER = "NATURE-HANDICAP-CONFIDENTIELLE";
    private static final DateTimeFormatter FR = DateTimeFormatter.ofPattern("dd/MM/uuuu");
    private static final String[] NAMES = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
            "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "N'Diaye", "Da Silva",
            "Nguyen", "Ben Saïd", "Öztürk"};
    private static final String[] FIRST = {"Léa", "Chloé", "Inès", "Zoé", "Hugo", "Lucas", "Noé", "Amine", "Anaïs",
            "Jérôme", "François", "Aïcha", "Maël", "Céline"};

    private final Random random;
    private final Territory territory;
    private final List<String> departements;
    private final List<String> nirs = new ArrayList<>();

    public SyntheticRequests(long seed, Territory territory, List<String> departements) {
        this.random = new Random(seed);
        this.territory = territory;
        this.departements = departements;
    }

    /** NIRs used so far (for leak tests; a large file keeps only the first 10,000). */
    public List<String> nirsUsed() {
        return nirs;
    }

    /**
     * Writes {@code records} records to {@code file}. With {@code brokenEvery} > 0, every n-th record gets a fault
     * in turn: a NIR with a wrong key, an unknown commune, a missing name, a bad date, a wrong field count.
     */
    public void write(Path file, SharedFileLayout layout, long records, int brokenEvery) throws IOException {
        String[] header = layout.header();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(";", header));
            w.write('\n');
            for (long i = 1; i <= records; i++) {
                String[] row = row(i);
                int fault = brokenEvery > 0 && i % brokenEvery == 0 ? (int) ((i / brokenEvery) % 5) : -1;
                if (fault == 0) row[6] = row[6].isEmpty() ? "184057512345699" : row[6].substring(0, 13)
                        + (row[6].endsWith("00") ? "01" : "00");
                if (fault == 1) row[20] = "99999";
                if (fault == 2) row[8] = "";
                if (fault == 3) row[4] = "31/02/2024";
                for (int c = 0; c < row.length; c++) {
                    if (c > 0) w.write(';');
                    w.write(escape(row[c]));
                }
                if (fault == 4) w.write(";en trop");
                w.write('\n');
            }
        }
    }

    /** One record in the layout's column order (see the layout file). */
    private String[] row(long i) {
        String dep = departements.get(random.nextInt(departements.size()));
        List<String> communes = territory.communesOf(dep);
        int t = random.nextInt(100);
        String type = t < 70 ? "CRE" : t < 85 ? "MOD" : t < 95 ? "REN" : "RAD";
        String number = (dep.length() == 2 ? dep : dep.substring(0, 2)) + "26" + String.format("%010d", i);
        boolean handicap = random.nextInt(100) < 8;
        int wished = 1 + random.nextInt(3);
        List<String> w = new ArrayList<>();
        for (int k = 0; k < wished; k++) w.add(communes.get(random.nextInt(communes.size())));
        LocalDate created = LocalDate.of(2020 + random.nextInt(6), 1 + random.nextInt(12), 1 + random.nextInt(28));
        return new String[]{
                type,
                type.equals("RAD") ? new String[]{"ATT", "ABA", "NRN", "IRR"}[random.nextInt(4)] : "",
                number,
                type.equals("MOD") ? "2" : "1",
                created.format(FR),
                "G" + (100 + random.nextInt(900)),
                random.nextInt(10) < 9 ? nir() : "",
                random.nextBoolean() ? "1" : "2",
                NAMES[random.nextInt(NAMES.length)],
                FIRST[random.nextInt(FIRST.length)],
                LocalDate.of(1940 + random.nextInt(65), 1 + random.nextInt(12), 1 + random.nextInt(28)).format(FR),
                "demandeur" + i + "@exemple.fr",
                "06" + String.format("%08d", random.nextInt(100_000_000)),
                (1 + random.nextInt(200)) + " rue de l'Église",
                String.format("%05d", 10000 + random.nextInt(85000)),
                "Ville",
                Integer.toString(1 + random.nextInt(8)),
                (10000 + random.nextInt(40000)) + "," + random.nextInt(100),
                siret(),
                random.nextInt(3) == 0 ? fr.logement.gateway.config.Identifiers.siren(String.format("%08d", random.nextInt(100_000_000))) : "",
                String.join("|", w),
                "T" + (1 + random.nextInt(5)),
                random.nextInt(100) < 5 ? "O" : "N",
                handicap ? "logement de plain-pied, accès fauteuil" : "",
                handicap ? HANDICAP_MARKER + " : pathologie déclarée à la MDPH" : "",
                random.nextInt(4) == 0 ? "Logement « trop petit »; \"urgent\"\nvoir courrier du " + created.format(FR) : ""
        };
    }

    /** An employer's SIRET with a valid check digit; one in twenty at La Poste (its own rule). */
    private String siret() {
        if (random.nextInt(4) == 0) return "";
        String siren = random.nextInt(20) == 0 ? "356000000"
                : fr.logement.gateway.config.Identifiers.siren(String.format("%08d", random.nextInt(100_000_000)));
        return fr.logement.gateway.config.Identifiers.siret(siren, String.format("%04d", random.nextInt(10_000)));
    }

    private String nir() {
        String d = switch (random.nextInt(20)) {
            case 0 -> "2A";
            case 1 -> "2B";
            default -> String.format("%02d", 1 + random.nextInt(95));
        };
        String body = (1 + random.nextInt(2)) + String.format("%02d", random.nextInt(100))
                + String.format("%02d", 1 + random.nextInt(12)) + d + String.format("%03d", 1 + random.nextInt(989))
                + String.format("%03d", 1 + random.nextInt(999));
        int key = 97 - new BigInteger(body.replace("2A", "19").replace("2B", "18")).mod(BigInteger.valueOf(97)).intValue();
        String nir = body + String.format("%02d", key);
        if (nirs.size() < 10_000) nirs.add(nir);
        return nir;
    }

    static String escape(String v) {
        if (v.indexOf(';') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
