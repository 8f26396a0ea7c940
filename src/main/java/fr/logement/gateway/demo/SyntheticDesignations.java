package fr.logement.gateway.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Makes realistic but entirely synthetic designations for the demo and the tests: valid NIR keys (Corsica
 * included), handicap details, free text that hides a NIR, and real PDF and PNG documents with their digests.
 */
public final class SyntheticDesignations {
    /** A marker placed in every handicap-nature field, so that a leak is easy to find. */
    public static final String HANDICAP_MARKER = "HANDICAP-NATURE-SECRET";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] LAST = {"Durand", "Martin", "N'Diaye", "Lefèvre", "Moreau", "Benali", "Nguyen", "Rossi"};
    private static final String[] FIRST = {"Élodie", "Karim", "Zoé", "Jean-Luc", "Aïcha", "Théo", "Inès", "Mathis"};

    private final Random random;
    private final List<String> nirs = new ArrayList<>();

    public SyntheticDesignations(long seed) {
        this.random = new Random(seed);
    }

    /** Every NIR this generator has put into a designation, so a test can look for each in every output. */
    public List<String> nirsUsed() {
        return List.copyOf(nirs);
    }

    /** A valid NIR: sex, year, month, département (2A/2B sometimes), commune, order, key. */
    public String nir() {
        String dep = switch (random.nextInt(10)) {
            case 0 -> "2A";
            case 1 -> "2B";
            default -> String.format("%02d", 1 + random.nextInt(95));
        };
        String body = (1 + random.nextInt(2)) + String.format("%02d", random.nextInt(100))
                + String.format("%02d", 1 + random.nextInt(12)) + dep
                + String.format("%03d", 1 + random.nextInt(989)) + String.format("%03d", 1 + random.nextInt(999));
        String numeric = body.replace("2A", "19").replace("2B", "18");
        int key = 97 - new BigInteger(numeric).mod(BigInteger.valueOf(97)).intValue();
        String nir = body + String.format("%02d", key);
        nirs.add(nir);
        return nir;
    }

    public ObjectNode designation(String designationId, String landlordId, String rplsId, String communeInsee,
                                  Instant deadline, int candidates) {
        ObjectNode d = F.objectNode();
        d.put("designationId", designationId);
        d.put("landlordId", landlordId);
        ObjectNode offer = d.putObject("offer");
        offer.put("rplsId", rplsId);
        offer.put("communeInsee", communeInsee);
        offer.putObject("address").put("line1", (1 + random.nextInt(120)) + " rue des Lilas")
                .put("postalCode", "92000").put("city", "Nanterre");
        offer.put("rent", 450 + random.nextInt(400));
        offer.put("charges", 60 + random.nextInt(60));
        offer.put("surface", 35 + random.nextInt(60));
        offer.put("rooms", 1 + random.nextInt(5));
        offer.put("floor", random.nextInt(10));
        offer.put("lift", random.nextBoolean());
        offer.put("accessibility", "step-free entrance");
        offer.put("designationDeadline", deadline.toString());
        ArrayNode list = d.putArray("candidates");
        for (int rank = 1; rank <= candidates; rank++) list.add(candidate(rank));
        return d;
    }

    private ObjectNode candidate(int rank) {
        String nir = nir();
        String numeroUnique = "0922025" + String.format("%08d", random.nextInt(100_000_000));
        ObjectNode c = F.objectNode();
        c.put("rank", rank);
        c.putObject("score").put("points", 100 + random.nextInt(400)).putArray("criteria").add("seniority");
        ObjectNode id = c.putObject("identity");
        id.put("civility", random.nextBoolean() ? "MME" : "M");
        id.put("lastName", LAST[random.nextInt(LAST.length)]);
        id.put("firstName", FIRST[random.nextInt(FIRST.length)]);
        id.put("birthDate", LocalDate.of(1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)).toString());
        id.put("nationality", "FR");
        id.put("nir", nir);
        id.put("numeroUnique", numeroUnique);
        ObjectNode contact = c.putObject("contact");
        contact.putObject("address").put("line1", "3 allée des Tilleuls").put("postalCode", "92000").put("city", "Nanterre");
        contact.put("email", "candidate" + rank + "@example.org");
        contact.put("phone", "+33612345678");
        contact.put("smsOptIn", true);
        ObjectNode household = c.putObject("household");
        household.put("familySituation", "single_parent");
        household.put("size", 2);
        household.put("childrenCount", 1);
        household.put("dependants", 0);
        household.putArray("members").addObject().put("relation", "child").put("firstName", "Léo")
                .put("birthDate", "2015-03-01");
        ObjectNode pro = c.putObject("professional");
        pro.put("employerName", "Exemple Industries");
        pro.put("employerSiret", "73282932000074");
        pro.put("profession", "technicienne");
        pro.put("status", "cdi");
        pro.put("employerValidated", true);
        ObjectNode fin = c.putObject("financial");
        fin.put("monthlyResources", 1800 + random.nextInt(1500));
        fin.put("taxIncomeN1", 20000 + random.nextInt(10000));
        fin.put("taxIncomeN2", 20000 + random.nextInt(10000));
        fin.put("effortRate", 0.28);
        fin.put("propertyOwned", false);
        ObjectNode cur = c.putObject("currentHousing");
        cur.put("type", "private_rental");
        cur.put("rent", 890);
        cur.put("charges", 60);
        cur.put("apl", 120);
        cur.put("surface", 38);
        cur.put("occupants", 2);
        cur.put("landlordSiren", "552100554");
        ObjectNode req = c.putObject("request");
        req.put("numeroUnique", numeroUnique);
        req.put("createdOn", "2025-11-03");
        req.putNull("renewedOn");
        req.put("seniorityMonths", 12);
        req.putArray("wishedCommunes").add("92050");
        req.put("wishedType", "T3");
        req.put("status", "active");
        // Free text that hides a NIR with spaces, as people type it: it must be redacted on the way out.
        c.putObject("motive").putArray("codes").add("too_small");
        ((ObjectNode) c.get("motive")).put("comment", "Logement trop petit, « urgent ». Mon numéro : "
                + spaced(nir) + ".\nMerci.");
        c.putObject("priority").put("priorityPublic", false).putNull("daloDecision").put("violenceFlag", false);
        ObjectNode handicap = c.putObject("handicap");
        handicap.putObject("need").put("adaptedHousing", true).put("noStairs", true).put("thirdPerson", false)
                .putArray("equipment").add("grab bars");
        handicap.putObject("nature").put("description", HANDICAP_MARKER + " reduced mobility")
                .put("mdphRecognised", true).put("healthComment", HANDICAP_MARKER + " comment");
        c.putArray("applicationHistory").addObject().put("date", "2025-06-01").put("outcome", "refused_by_applicant");
        ArrayNode docs = c.putArray("documents");
        docs.add(document("d" + rank + "a", "identity", "application/pdf", "identity.pdf", pdf("Piece d'identite")));
        docs.add(document("d" + rank + "b", "tax_notice", "image/png", "tax-notice.png", png()));
        return c;
    }

    private static String spaced(String nir) {
        return nir.charAt(0) + " " + nir.substring(1, 3) + " " + nir.substring(3, 5) + " " + nir.substring(5, 7) + " "
                + nir.substring(7, 10) + " " + nir.substring(10, 13) + " " + nir.substring(13);
    }

    public static ObjectNode document(String id, String type, String mediaType, String fileName, byte[] content) {
        ObjectNode d = F.objectNode();
        d.put("documentId", id);
        d.put("type", type);
        d.put("mediaType", mediaType);
        d.put("fileName", fileName);
        d.put("sha256", sha256Hex(content));
        d.put("content", Base64.getEncoder().encodeToString(content));
        return d;
    }

    /** A minimal, well-formed one-page PDF. */
    public static byte[] pdf(String text) {
        String s = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% " + text + "\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A 1x1 PNG. */
    public static byte[] png() {
        return Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    }

    public static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
