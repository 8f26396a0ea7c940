package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import fr.logement.gateway.dataprotection.Erasure;
import fr.logement.gateway.dataprotection.SubjectExport;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an employee's choice lets their employer see of their request: minimal gives names, request number and
 * status; mandate what acting for the employee requires; anonymous nothing (the same 403 as a stranger's request).
 * A change of choice takes effect for the next read. The NIR, the handicap and the finances ALS might send are never
 * stored, answered or logged.
 */
class EmployeeRequestViewTest {
    static final String DEMO_SIRET = "44306184100013";
    static final String NIR = "284058832102532";
    static final String HANDICAP = "sclérose en plaques, suivi MDPH";
    static final String NUR = "94VIEW000000001";
    @TempDir
    Path data;

    private static ObjectNode request() {
        ObjectNode r = JSON.createObjectNode();
        r.putObject("identity").put("civility", "Mme").put("lastName", "Lefèvre").put("firstName", "Zoé")
                .put("birthDate", "1984-05-12").put("nir", NIR);
        r.putObject("contact").put("email", "zoe.lefevre@example.org").put("phone", "0612345678");
        r.putObject("professional").put("employerSiret", DEMO_SIRET).put("profession", "technicienne");
        r.putObject("request").put("status", "active").put("createdOn", "2025-03-01").put("wishedType", "T3");
        r.putObject("financial").put("monthlyResources", 2140);
        r.putObject("household").put("size", 3);
        r.putObject("handicap").put("nature", HANDICAP).put("need", "rez-de-chaussée");
        r.put("comment", "NIR " + NIR + " en clair");                  // not catalogued: never kept
        return r;
    }

    private static HttpResponse<String> choose(GatewayHarness h, String messageId, String choice, Instant from,
                                               JsonNode request) throws Exception {
        ObjectNode c = JSON.createObjectNode().put("messageId", messageId).put("numeroUnique", NUR)
                .put("employerSiret", DEMO_SIRET).put("choice", choice).put("effectiveAt", from.toString());
        if (request != null) c.set("request", request);
        return h.als.post("api/v1/employee-choices", JSON.writeValueAsBytes(c));
    }

    private static Set<String> fields(JsonNode n, String prefix, Set<String> into) {
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) fields(e.getValue(), prefix + e.getKey() + ".", into);
            else into.add(prefix + e.getKey());
        });
        return into;
    }

    @Test
    void theChoiceInForceDecidesWhatTheEmployerSeesOfTheRequest() throws Exception {
        try (LogCapture logs = new LogCapture(); GatewayHarness h = GatewayHarness.start(data)) {
            AlsClient employer = h.clientOf("employeur-demo");
            RSAPublicKey gatewayKey = (RSAPublicKey) h.gateway.pki().ensure(Pki.GATEWAY).certificate().getPublicKey();
            String path = "api/v1/employers/employeur-demo/requests/" + NUR;

            assertEquals(202, choose(h, "ch-view-1", "minimal", Instant.now().minusSeconds(3600), request()).statusCode());
            HttpResponse<String> minimal = employer.get(path);
            assertEquals(200, minimal.statusCode(), minimal.body());
            assertTrue(JWSObject.parse(minimal.headers().firstValue("X-JWS-Signature").orElseThrow(),
                    new Payload(minimal.body().getBytes(StandardCharsets.UTF_8))).verify(new RSASSAVerifier(gatewayKey)),
                    "signed by the gateway");
            assertEquals(Set.of("numeroUnique", "identity.lastName", "identity.firstName", "request.status"),
                    fields(JSON.readTree(minimal.body()), "", new TreeSet<>()), minimal.body());
            assertEquals("Lefèvre", JSON.readTree(minimal.body()).path("identity").path("lastName").asText());

            // The employee gives a mandate: the next read shows what acting for them requires, still no NIR nor handicap.
            assertEquals(202, choose(h, "ch-view-2", "mandate", Instant.now().minusSeconds(1), null).statusCode());
            HttpResponse<String> mandate = employer.get(path);
            assertEquals(200, mandate.statusCode(), mandate.body());
            assertEquals(Set.of("numeroUnique", "identity.civility", "identity.lastName", "identity.firstName",
                            "identity.birthDate", "contact.email", "contact.phone", "professional.employerSiret",
                            "professional.profession", "request.status", "request.createdOn", "request.wishedType"),
                    fields(JSON.readTree(mandate.body()), "", new TreeSet<>()), mandate.body());

            // An old message sent again changes neither the choice nor the request kept.
            ObjectNode changed = request();
            ((ObjectNode) changed.path("identity")).put("lastName", "Autre");
            assertEquals(202, choose(h, "ch-view-1", "minimal", Instant.now().minusSeconds(3600), changed).statusCode());
            assertTrue(employer.get(path).body().contains("Lefèvre"));

            // Another employer, another employer's path, an unknown request: one and the same refusal.
            for (HttpResponse<String> refused : List.of(h.clientOf("employeur-autre").get(
                            "api/v1/employers/employeur-autre/requests/" + NUR),
                    employer.get("api/v1/employers/employeur-autre/requests/" + NUR),
                    employer.get("api/v1/employers/employeur-demo/requests/94NOBODY0000001"))) {
                assertEquals(403, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("not_your_employee"), refused.body());
                assertFalse(refused.body().contains("Lefèvre"));
            }
            assertEquals(403, h.als.get(path).statusCode(), "ALS is not an employer");
            assertEquals(400, employer.get("api/v1/employers/employeur-demo/requests/94-bad").statusCode());
            assertEquals(404, employer.get("api/v1/employers/employeur-demo/requests").statusCode());

            // The employee chooses anonymity: from then on the employer gets the stranger's answer.
            assertEquals(202, choose(h, "ch-view-3", "anonymous", Instant.now(), null).statusCode());
            HttpResponse<String> anonymous = employer.get(path);
            assertEquals(403, anonymous.statusCode(), anonymous.body());
            assertFalse(anonymous.body().contains("Lefèvre") || anonymous.body().contains(NUR), anonymous.body());

            // What the gateway kept: nothing a mandate may not see.
            try (var c = h.gateway.database().dataSource().getConnection();
                 var q = c.prepareStatement("select body from employee_request_view where numero_unique = ?")) {
                q.setString(1, NUR);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    String kept = rs.getString(1);
                    for (String never : List.of(NIR, HANDICAP, "rez-de-chaussée", "2140", "comment", "household")) {
                        assertFalse(kept.contains(never), never + " kept: " + kept);
                    }
                }
            }
            // The employee can see what was kept and who read it; erased, it is gone.
            SubjectExport export = h.gateway.camel().getRegistry().lookupByNameAndType("subjectExport", SubjectExport.class);
            JsonNode mine = export.export(NUR, "dpo");
            assertEquals(3, mine.path("employeeChoices").size(), mine.toString());
            assertEquals("Lefèvre", mine.path("employerView").path("body").path("identity").path("lastName").asText());
            assertTrue(mine.path("auditEntries").toString().contains("employee_request.read"), mine.toString());
            Erasure.Outcome erased = new Erasure(h.gateway.database().dataSource(), h.gateway.audit(), data).erase(NUR, "dpo");
            assertEquals(1, erased.erased().get("employer view of the request"));
            assertEquals(202, choose(h, "ch-view-4", "minimal", Instant.now(), null).statusCode());
            HttpResponse<String> gone = employer.get(path);
            assertEquals(404, gone.statusCode(), gone.body());
            assertTrue(gone.body().contains("no_request_details"), gone.body());

            String everything = logs.all();
            for (String never : List.of(NIR, HANDICAP, "Lefèvre", "zoe.lefevre")) {
                assertFalse(everything.contains(never), never + " in a log line");
            }
        }
    }

    @Test
    void aRequestIsKeptOnlyFromASignedWellFormedChoiceByAls() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            ObjectNode c = JSON.createObjectNode().put("messageId", "ch-attack-1").put("numeroUnique", NUR)
                    .put("employerSiret", DEMO_SIRET).put("choice", "mandate")
                    .put("effectiveAt", Instant.now().minusSeconds(60).toString());
            c.set("request", request());
            byte[] body = JSON.writeValueAsBytes(c);
            byte[] other = JSON.writeValueAsBytes(c.deepCopy().put("choice", "minimal"));
            assertEquals(401, h.als.post("api/v1/employee-choices", body, null).statusCode(), "unsigned");
            assertEquals(401, h.als.post("api/v1/employee-choices", body, h.als.sign(other, Instant.now())).statusCode(),
                    "signed over another body");
            assertEquals(403, h.clientOf(GatewayHarness.REST_LANDLORD).post("api/v1/employee-choices", body).statusCode(),
                    "a landlord is not ALS");
            ObjectNode malformed = c.deepCopy().put("messageId", "ch-attack-2").put("request", "Lefèvre " + NIR);
            HttpResponse<String> refused = h.als.post("api/v1/employee-choices", JSON.writeValueAsBytes(malformed));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("request"), "names the field: " + refused.body());
            assertFalse(refused.body().contains(NIR), "never echoes the value");

            try (var con = h.gateway.database().dataSource().getConnection();
                 var q = con.prepareStatement("select (select count(*) from employee_request_view) + "
                         + "(select count(*) from employee_choice)")) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "nothing stored from a refused message");
                }
            }
            assertEquals(403, h.clientOf("employeur-demo").get("api/v1/employers/employeur-demo/requests/" + NUR)
                    .statusCode(), "nothing to show");
        }
    }
}
