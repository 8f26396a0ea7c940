package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated records: NIRs and handicap details are planted in every field, in nested objects and arrays, in unknown
 * fields at random depths and inside free text; none of them may reach a landlord, in any form.
 */
class NirAndHandicapNeverReachLandlordTest {
    private static final String MARK = "HANDICAP-DETAIL";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void nothingPlantedEverPassesTheFilter() throws Exception {
        OutboundFilter filter = OutboundFilter.load(Path.of("config"));
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(20261123);
        SyntheticDesignations gen = new SyntheticDesignations(5);
        int checked = 0;
        for (int i = 0; i < 300; i++) {
            ObjectNode d = gen.designation("G-" + i, "b", "9200000001", "92050", Instant.now(), 1 + random.nextInt(3));
            List<String> planted = new ArrayList<>();
            plant(d, random, gen, planted, 0);
            FilterResult landlord = filter.filter("designation", d, "landlord", "designation");
            FilterResult door = filter.minimiseForFlow("designation", d, "designation");
            for (FilterResult r : List.of(landlord, door)) {
                String out = json.writeValueAsString(r.filtered());
                String compact = out.replaceAll("[\\s.\\-]", "");
                for (String nir : gen.nirsUsed()) {
                    assertFalse(compact.contains(nir), "a NIR reached the landlord in designation " + i);
                }
                assertFalse(out.contains(MARK), "a handicap detail reached the landlord in designation " + i);
                assertFalse(out.contains(SyntheticDesignations.HANDICAP_MARKER));
                checked++;
            }
            assertTrue(planted.size() > 10);
        }
        assertTrue(checked == 600);
    }

    /**
     * Replaces some leaves by NIRs (bare, or spaced inside text), adds unknown fields holding NIRs and handicap details
     * at every depth, and fills the handicap nature with details.
     */
    private static void plant(JsonNode node, Random random, SyntheticDesignations gen, List<String> planted, int depth) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (child.isValueNode() && random.nextInt(3) == 0) {
                    String nir = gen.nir();
                    planted.add(nir);
                    o.put(name, random.nextBoolean() ? nir : "texte libre « " + spaced(nir) + " »\n fin");
                } else {
                    plant(child, random, gen, planted, depth + 1);
                }
            }
            if (random.nextInt(4) == 0) {
                String nir = gen.nir();
                planted.add(nir);
                ObjectNode unknown = o.putObject("unknown" + depth);
                unknown.put("nir", nir).put("note", MARK).putArray("list").add(nir).addObject().put("deep", spaced(nir));
            }
            if (o.has("handicap")) {
                ((ObjectNode) o.get("handicap")).putObject("nature").put("description", MARK).put("x", gen.nir());
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (JsonNode element : a) plant(element, random, gen, planted, depth + 1);
            if (random.nextInt(4) == 0) {
                String nir = gen.nir();
                planted.add(nir);
                a.add(F.textNode(nir));
            }
        }
    }

    private static String spaced(String nir) {
        return nir.charAt(0) + " " + nir.substring(1, 3) + " " + nir.substring(3, 5) + " " + nir.substring(5, 7) + " "
                + nir.substring(7, 10) + " " + nir.substring(10, 13) + " " + nir.substring(13);
    }
}
