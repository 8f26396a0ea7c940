package fr.logement.gateway.ingress.designation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of a designation broken once: the problem names the field and the reason, and never echoes a value. */
class DesignationRulesTest {
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static DesignationValidator validator;
    final SyntheticDesignations gen = new SyntheticDesignations(7);

    @BeforeAll
    static void load() {
        Territory territory = Territory.load(Path.of("config/reference"));
        PartnerDirectory partners = PartnerDirectory.load(Path.of("config/partners.yaml"), territory,
                Map.of("sim.soap.port", "9443", "sim.rest.port", "9444", "sim.sne.port", "9445", "gateway.als.endpoint", "",
                        "gateway.employer-demo.endpoint", "")::get);
        validator = new DesignationValidator(Path.of("schemas"), partners, territory,
                Clock.fixed(NOW, ZoneOffset.UTC), 200_000, 300_000);
    }

    private ObjectNode valid(int candidates) {
        return gen.designation("D-1", "bailleur-soap-demo", "9200000001", "92050", NOW.plusSeconds(86_400), candidates);
    }

    private List<Problem> problems(ObjectNode d) {
        RejectedException e = assertThrows(RejectedException.class, () -> validator.validate(d));
        assertEquals(400, e.status());
        assertEquals("invalid_designation", e.code());
        String all = e.problems().toString();
        for (String nir : gen.nirsUsed()) assertFalse(all.contains(nir), "a problem never quotes a NIR");
        return e.problems();
    }

    private static void assertProblem(List<Problem> problems, String path, String reasonPart) {
        assertTrue(problems.stream().anyMatch(p -> p.path().equals(path) && p.reason().contains(reasonPart)),
                "expected a problem at " + path + " saying '" + reasonPart + "' in " + problems);
    }

    private ObjectNode candidate(ObjectNode d, int i) {
        return (ObjectNode) d.get("candidates").get(i);
    }

    private ObjectNode document(ObjectNode d, int candidate, int doc) {
        return (ObjectNode) candidate(d, candidate).get("documents").get(doc);
    }

    @Test
    void oneTwoAndThreeCandidatesAreValid() {
        for (int n = 1; n <= 3; n++) {
            ObjectNode d = valid(n);
            assertDoesNotThrow(() -> validator.validate(d));
        }
    }

    @Test
    void noCandidateOrAFourthIsRefusedByTheSchema() {
        ObjectNode none = valid(1);
        none.putArray("candidates");
        assertTrue(problems(none).stream().anyMatch(p -> p.path().equals("candidates")), "names candidates");

        ObjectNode four = valid(3);
        ((ArrayNode) four.get("candidates")).add(candidate(valid(1), 0).deepCopy().put("rank", 4));
        assertTrue(problems(four).stream().anyMatch(p -> p.path().equals("candidates")), "names candidates");
    }

    @Test
    void ranksMustRunFromOneToNEachOnce() {
        ObjectNode twice = valid(3);
        candidate(twice, 2).put("rank", 2);
        assertProblem(problems(twice), "candidates[2].rank", "more than one candidate");

        ObjectNode gap = valid(2);
        candidate(gap, 1).put("rank", 3);
        assertProblem(problems(gap), "candidates[1].rank", "from 1 to the number of candidates (2)");
    }

    @Test
    void theSameApplicantTwiceIsRefused() {
        ObjectNode d = valid(2);
        candidate(d, 1).with("identity").put("numeroUnique", candidate(d, 0).at("/identity/numeroUnique").asText());
        assertProblem(problems(d), "candidates[1].identity.numeroUnique", "the same applicant appears twice");
    }

    @Test
    void theLandlordMustExistAndHoldHomesInTheOffersTerritory() {
        ObjectNode unknown = valid(1);
        unknown.put("landlordId", "bailleur-inconnu");
        assertProblem(problems(unknown), "landlordId", "no landlord with this id");

        ObjectNode als = valid(1);
        als.put("landlordId", "als");
        assertProblem(problems(als), "landlordId", "no landlord with this id");

        ObjectNode elsewhere = valid(1);
        elsewhere.with("offer").put("communeInsee", "69123");   // Lyon: the SOAP demo landlord holds homes in 92 and 78
        assertProblem(problems(elsewhere), "offer.communeInsee", "holds no homes");
    }

    @Test
    void anUnknownCommuneIsRefused() {
        ObjectNode d = valid(1);
        d.with("offer").put("communeInsee", "92999");
        assertProblem(problems(d), "offer.communeInsee", "unknown commune");
    }

    @Test
    void aPassedDeadlineIsRefused() {
        ObjectNode d = valid(1);
        d.with("offer").put("designationDeadline", NOW.minusSeconds(1).toString());
        assertProblem(problems(d), "offer.designationDeadline", "has passed");
    }

    @Test
    void aDocumentWhoseBytesAreNotItsDeclaredTypeIsRefused() {
        ObjectNode d = valid(1);
        byte[] png = SyntheticDesignations.png();
        ObjectNode doc = document(d, 0, 0);                   // declared application/pdf
        doc.put("content", Base64.getEncoder().encodeToString(png));
        doc.put("sha256", SyntheticDesignations.sha256Hex(png));
        assertProblem(problems(d), "candidates[0].documents[0].mediaType", "is not a application/pdf");

        ObjectNode exe = valid(1);
        byte[] mz = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0};
        ObjectNode bad = document(exe, 0, 0);
        bad.put("content", Base64.getEncoder().encodeToString(mz));
        bad.put("sha256", SyntheticDesignations.sha256Hex(mz));
        assertProblem(problems(exe), "candidates[0].documents[0].mediaType", "is not a application/pdf");
    }

    @Test
    void aDigestThatDoesNotMatchIsRefused() {
        ObjectNode d = valid(1);
        document(d, 0, 1).put("sha256", "0".repeat(64));
        assertProblem(problems(d), "candidates[0].documents[1].sha256", "does not match");
    }

    @Test
    void anOversizedDocumentAndAnOversizedTotalAreRefused() {
        ObjectNode one = valid(1);
        byte[] big = SyntheticDesignations.pdf("x".repeat(210_000));
        document(one, 0, 0).put("content", Base64.getEncoder().encodeToString(big))
                .put("sha256", SyntheticDesignations.sha256Hex(big));
        assertProblem(problems(one), "candidates[0].documents[0].content", "more than the 200000 allowed");

        ObjectNode total = valid(2);
        byte[] half = SyntheticDesignations.pdf("y".repeat(160_000));
        for (int c = 0; c < 2; c++) {
            document(total, c, 0).put("content", Base64.getEncoder().encodeToString(half))
                    .put("sha256", SyntheticDesignations.sha256Hex(half));
        }
        assertProblem(problems(total), "candidates", "more than the 300000 allowed for one designation");
    }

    @Test
    void contentThatIsNotBase64IsRefused() {
        ObjectNode d = valid(1);
        document(d, 0, 0).put("content", "%%% not base64 %%%");
        List<Problem> problems = problems(d);
        assertTrue(problems.stream().anyMatch(p -> p.path().equals("candidates[0].documents[0].content")
                && !p.reason().startsWith("$") && !p.reason().contains("%%%")), problems.toString());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ObjectNode d = valid(3);
        candidate(d, 2).put("rank", 1);
        d.with("offer").put("designationDeadline", NOW.minusSeconds(60).toString());
        document(d, 1, 0).put("sha256", "f".repeat(64));
        List<Problem> problems = problems(d);
        assertProblem(problems, "candidates[2].rank", "more than one candidate");
        assertProblem(problems, "offer.designationDeadline", "has passed");
        assertProblem(problems, "candidates[1].documents[0].sha256", "does not match");
    }
}
