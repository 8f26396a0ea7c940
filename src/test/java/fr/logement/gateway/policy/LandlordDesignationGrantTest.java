package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What (landlord, designation) receives of the example designation, category by category, with the shipped config. */
class LandlordDesignationGrantTest {
    static OutboundFilter filter;
    static JsonNode example;

    @BeforeAll
    static void load() throws Exception {
        filter = OutboundFilter.load(Path.of("config"));
        example = new ObjectMapper().readTree(Path.of("schemas/examples/designation.json").toFile());
    }

    private FilterResult toLandlord(JsonNode d) {
        return filter.filter("designation", d, "landlord", "designation");
    }

    @Test
    void identityContactAndHandicapNeedsPass() {
        JsonNode out = toLandlord(example).filtered();
        assertEquals("Durand", out.at("/candidates/0/identity/lastName").asText());
        assertEquals("elodie.durand@example.org", out.at("/candidates/0/contact/email").asText());
        assertFalse(out.at("/candidates/0/handicap/need").isMissingNode());
        assertEquals("9200012345", out.at("/offer/rplsId").asText());
    }

    @Test
    void nirHandicapNatureScorePointsAndHistoryAreDropped() {
        FilterResult r = toLandlord(example);
        JsonNode out = r.filtered();
        assertTrue(out.at("/candidates/0/identity/nir").isMissingNode());
        assertTrue(out.at("/candidates/0/handicap/nature").isMissingNode());
        assertTrue(out.at("/candidates/0/score/points").isMissingNode());
        assertTrue(out.at("/candidates/0/applicationHistory").isMissingNode());
        assertEquals(1, out.at("/candidates/0/rank").asInt(), "rank only, of the score");
        assertTrue(r.categoriesDropped().containsAll(java.util.List.of("nir", "handicap_nature", "application_history")));
        assertTrue(r.droppedPaths().contains("candidates[0].identity.nir"));
        assertFalse(r.categoriesSent().contains("nir"));
    }

    @Test
    void anUnknownFieldIsDroppedAndReported() {
        ObjectNode d = example.deepCopy();
        ((ObjectNode) d.at("/candidates/0/identity")).put("secretNote", "x");
        d.put("extra", "y");
        FilterResult r = toLandlord(d);
        assertTrue(r.filtered().at("/candidates/0/identity/secretNote").isMissingNode());
        assertTrue(r.filtered().path("extra").isMissingNode());
        assertTrue(r.unknownFieldsDropped());
        assertTrue(r.droppedPaths().contains("extra"));
    }

    @Test
    void theSneKeepsTheNirAndTheInputIsNeverChanged() {
        ObjectNode d = example.deepCopy();
        FilterResult r = filter.filter("designation", d, "sne", "registry");
        assertEquals("284058832102532", r.filtered().at("/candidates/0/identity/nir").asText());
        assertEquals(example, d, "the filter works on a copy");
    }

    @Test
    void aRecipientWithoutGrantGetsNothingPersonal() {
        FilterResult r = filter.filter("designation", example, "statistics", "counts");
        assertTrue(r.filtered().path("candidates").isMissingNode());
        assertEquals(java.util.Set.of("message"), r.categoriesSent());
    }
}
