package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs designations full of NIRs, names and handicap details through every path — delivered over SOAP and REST,
 * a failed attempt, a refused input — and scans every log event (message and stack trace) for any of them.
 */
class PersonalDataNeverReachesTheLogsTest {
    @TempDir
    Path data;

    @Test
    void noNirNameOrHandicapDetailIsEverLogged() throws Exception {
        LogCapture capture = new LogCapture();
        SyntheticDesignations gen = new SyntheticDesignations(99);
        List<JsonNode> sent = new ArrayList<>();
        try (GatewayHarness h = GatewayHarness.start(data)) {
            Instant deadline = Instant.now().plus(Duration.ofDays(2));
            JsonNode soap = gen.designation("LOG-1", GatewayHarness.SOAP_LANDLORD, "9200000001", "92050", deadline, 3);
            JsonNode rest = gen.designation("LOG-2", GatewayHarness.REST_LANDLORD, "9400000001", "94028", deadline, 3);
            ObjectNode invalid = gen.designation("LOG-3", GatewayHarness.REST_LANDLORD, "9400000001", "94028", deadline, 2);
            ((ObjectNode) invalid.get("candidates").get(0).get("identity")).put("birthDate", "not a date " + gen.nir());
            sent.add(soap);
            sent.add(rest);
            sent.add(invalid);
            h.restLandlord.failNext(1);
            String a = h.submit(soap, 202).path("messageId").asText();
            String b = h.submit(rest, 202).path("messageId").asText();
            h.submit(invalid, 400);
            h.awaitState(a, "DELIVERED", Duration.ofSeconds(20));
            h.awaitState(b, "DELIVERED", Duration.ofSeconds(20));
        } finally {
            capture.close();
        }
        assertTrue(capture.lines().size() > 10, "the run was logged at all");
        String all = capture.all();
        String digitsOnly = all.replaceAll("[\\s.-]", "");
        for (String nir : gen.nirsUsed()) assertFalse(digitsOnly.contains(nir), "a NIR was logged");
        assertFalse(all.contains(SyntheticDesignations.HANDICAP_MARKER), "a handicap detail was logged");
        for (JsonNode d : sent) {
            for (JsonNode c : d.path("candidates")) {
                assertFalse(all.contains(c.at("/contact/email").asText()), "an e-mail address was logged");
                assertFalse(all.contains(c.at("/identity/numeroUnique").asText()), "a numéro unique was logged");
                assertFalse(all.contains("allée des Tilleuls"), "an address was logged");
            }
        }
    }
}
