package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import fr.logement.gateway.employer.EmployerReports;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Employers' allocation counts: anonymous employees never counted nor named, small counts suppressed, a released
 * report frozen (a late allocation counts in the next one), a change of choice taking effect, an employer fetching
 * only its own signed report.
 */
class EmployerReportsTest {
    static final String DEMO_SIRET = "44306184100013";
    static final String OTHER_SIRET = "54210765100011";
    @TempDir
    Path data;
    int next = 1;

    private void choose(GatewayHarness h, String nur, String siret, String choice, Instant from) throws Exception {
        ObjectNode c = JSON.createObjectNode().put("messageId", "ch-" + UUID.randomUUID()).put("numeroUnique", nur)
                .put("employerSiret", siret).put("choice", choice).put("effectiveAt", from.toString());
        assertEquals(202, h.als.post("api/v1/employee-choices", JSON.writeValueAsBytes(c)).statusCode());
    }

    private void allocated(GatewayHarness h, AlsClient landlord, String nur) throws Exception {
        ObjectNode e = JSON.createObjectNode().put("messageId", "evt-" + UUID.randomUUID())
                .put("type", "allocation_outside_designation").put("numeroUnique", nur).put("eventDate", "2026-11-20")
                .put("rplsId", String.format("94%08d", next++)).put("communeInsee", "94028");
        assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(e)).statusCode());
    }

    @Test
    void countsAreThresholdedFrozenAndNeverAboutAnonymousEmployees() throws Exception {
        try (LogCapture logs = new LogCapture(); GatewayHarness h = GatewayHarness.start(data)) {
            Instant yesterday = Instant.now().minus(Duration.ofDays(1));
            AlsClient landlord = h.clientOf(REST_LANDLORD);
            List<String> named = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String nur = "94EMP00000000" + i;
                named.add(nur);
                choose(h, nur, DEMO_SIRET, "minimal", yesterday);
            }
            choose(h, "94ANON0000001", DEMO_SIRET, "anonymous", yesterday);
            // Changes of choice: X became anonymous, Y stopped being anonymous, both before their allocation.
            choose(h, "94CHGX0000001", DEMO_SIRET, "minimal", yesterday);
            choose(h, "94CHGX0000001", DEMO_SIRET, "anonymous", Instant.now().minusSeconds(60));
            choose(h, "94CHGY0000001", DEMO_SIRET, "anonymous", yesterday);
            choose(h, "94CHGY0000001", DEMO_SIRET, "mandate", Instant.now().minusSeconds(60));
            choose(h, "94OTH0000001", OTHER_SIRET, "minimal", yesterday);
            choose(h, "94OTH0000002", OTHER_SIRET, "minimal", yesterday);
            for (String nur : named) allocated(h, landlord, nur);
            for (String nur : List.of("94ANON0000001", "94CHGX0000001", "94CHGY0000001", "94OTH0000001", "94OTH0000002")) {
                allocated(h, landlord, nur);
            }
            // A bad choice is refused with the field named.
            ObjectNode bad = JSON.createObjectNode().put("messageId", "ch-bad").put("numeroUnique", "94X")
                    .put("employerSiret", "44306184100014").put("choice", "minimal").put("effectiveAt", yesterday.toString());
            HttpResponse<String> refused = h.als.post("api/v1/employee-choices", JSON.writeValueAsBytes(bad));
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("employerSiret"), refused.body());

            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            Clock afterMonth = Clock.fixed(month.plusMonths(1).atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
            EmployerReports reports = new EmployerReports(h.gateway.database().dataSource(), h.gateway.partners(),
                    h.gateway.employeeChoices(), new DetachedJws(h.gateway.pki().ensure(Pki.GATEWAY)), h.gateway.journal(),
                    h.gateway.audit(), afterMonth, 5);

            EmployerReports.Report demo = reports.release("employeur-demo", month);
            JsonNode body = JSON.readTree(demo.body());
            assertEquals(7, body.path("allocations").asInt(), "6 named + Y, not the anonymous one nor X: " + body);
            String text = new String(demo.body(), StandardCharsets.UTF_8);
            for (String nur : List.of("94ANON0000001", "94CHGX0000001", "94CHGY0000001", "94EMP000000000")) {
                assertFalse(text.contains(nur), "no request number in a report");
            }
            assertEquals("fewer than 5", JSON.readTree(reports.release("employeur-autre", month).body()).path("allocations").asText());

            // Released once, frozen: a late allocation does not change it, and is counted in the next report.
            allocated(h, landlord, named.get(0) + "");
            EmployerReports.Report again = reports.release("employeur-demo", month);
            assertArrayEquals(demo.body(), again.body());
            assertEquals(demo.signature(), again.signature());
            Clock later = Clock.fixed(month.plusMonths(2).atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
            EmployerReports nextReports = new EmployerReports(h.gateway.database().dataSource(), h.gateway.partners(),
                    h.gateway.employeeChoices(), new DetachedJws(h.gateway.pki().ensure(Pki.GATEWAY)), h.gateway.journal(),
                    h.gateway.audit(), later, 1);
            assertEquals(1, JSON.readTree(nextReports.release("employeur-demo", month.plusMonths(1)).body())
                    .path("allocations").asInt(), "the late allocation, once");

            // Over HTTPS: the employer fetches its own report, signed; another employer's is 403.
            AlsClient employer = h.clientOf("employeur-demo");
            HttpResponse<String> own = employer.get("api/v1/employers/employeur-demo/reports/" + month);
            assertEquals(200, own.statusCode(), own.body());
            RSAPublicKey gatewayKey = (RSAPublicKey) h.gateway.pki().ensure(Pki.GATEWAY).certificate().getPublicKey();
            JWSObject jws = JWSObject.parse(own.headers().firstValue("X-JWS-Signature").orElseThrow(),
                    new Payload(own.body().getBytes(StandardCharsets.UTF_8)));
            assertTrue(jws.verify(new RSASSAVerifier(gatewayKey)));
            assertEquals(403, employer.get("api/v1/employers/employeur-autre/reports/" + month).statusCode());
            assertEquals(403, h.als.get("api/v1/employers/employeur-demo/reports/" + month).statusCode(),
                    "ALS is not an employer");
            assertEquals(409, employer.get("api/v1/employers/employeur-demo/reports/" + month.plusMonths(5)).statusCode(),
                    "a month that is not over is not reported");
            assertTrue(logs.lines().size() > 10, "the run was logged at all");
            assertFalse(logs.all().contains("94ANON0000001"), "an anonymous employee never appears in a log");
        }
    }

    @Test
    void reportsCanCoverQuartersAlignedOnTheYear() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            Instant yesterday = Instant.now().minus(Duration.ofDays(1));
            AlsClient landlord = h.clientOf(REST_LANDLORD);
            for (int i = 0; i < 6; i++) {
                choose(h, "94QTR00000000" + i, DEMO_SIRET, "minimal", yesterday);
                allocated(h, landlord, "94QTR00000000" + i);
            }
            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            YearMonth quarter = month.minusMonths((month.getMonthValue() - 1) % 3);
            Clock afterQuarter = Clock.fixed(quarter.plusMonths(3).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    ZoneOffset.UTC);
            EmployerReports quarterly = new EmployerReports(h.gateway.database().dataSource(), h.gateway.partners(),
                    h.gateway.employeeChoices(), new DetachedJws(h.gateway.pki().ensure(Pki.GATEWAY)), h.gateway.journal(),
                    h.gateway.audit(), afterQuarter, 5).withPeriodMonths(3);
            JsonNode body = JSON.readTree(quarterly.release("employeur-demo", quarter).body());
            assertEquals(6, body.path("allocations").asInt(), body.toString());
            assertEquals(quarter.atDay(1).toString(), body.path("from").asText());
            assertEquals(quarter.plusMonths(2).atEndOfMonth().toString(), body.path("to").asText());
            assertEquals(400, assertThrowsRejected(() -> quarterly.release("employeur-demo", quarter.plusMonths(1))),
                    "no quarter starts in the second month of one");
            assertEquals(409, assertThrowsRejected(() -> quarterly.release("employeur-demo", quarter.plusMonths(3))),
                    "a quarter that is not over");
            assertEquals(quarter, quarterly.lastPeriodOver(afterQuarter.instant()));
            org.junit.jupiter.api.Assertions.assertThrows(fr.logement.gateway.config.ConfigurationException.class,
                    () -> quarterly.withPeriodMonths(5), "5 months do not divide the year");
        }
    }

    private static int assertThrowsRejected(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(fr.logement.gateway.ingress.RejectedException.class, call)
                .status();
    }

    @Test
    void anEmployerValidatesOnlyItsOwnNonAnonymousEmployeesRequests() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            Instant yesterday = Instant.now().minus(Duration.ofDays(1));
            choose(h, "94VAL0000001", DEMO_SIRET, "minimal", yesterday);
            choose(h, "94VAL0000002", DEMO_SIRET, "anonymous", yesterday);
            choose(h, "94VAL0000003", OTHER_SIRET, "mandate", yesterday);
            AlsClient employer = h.clientOf("employeur-demo");

            ObjectNode ok = JSON.createObjectNode().put("messageId", "val-" + UUID.randomUUID())
                    .put("numeroUnique", "94VAL0000001").put("validated", true).put("companyPoints", 120);
            byte[] body = JSON.writeValueAsBytes(ok);
            HttpResponse<String> r = employer.post("api/v1/employer/validations", body);
            assertEquals(200, r.statusCode(), r.body());
            RSAPublicKey gatewayKey = (RSAPublicKey) h.gateway.pki().ensure(Pki.GATEWAY).certificate().getPublicKey();
            assertTrue(JWSObject.parse(r.headers().firstValue("X-JWS-Signature").orElseThrow(),
                    new Payload(r.body().getBytes(StandardCharsets.UTF_8))).verify(new RSASSAVerifier(gatewayKey)));
            assertEquals(200, employer.post("api/v1/employer/validations", body).statusCode(), "the same message again");
            List<JsonNode> toAls = AlsQueues.about(h, fr.logement.gateway.broker.Broker.ALS_EMPLOYER_VALIDATIONS,
                    ok.path("messageId").asText());
            assertEquals(1, toAls.size(), "carried to ALS once");
            assertEquals(120, toAls.get(0).path("companyPoints").asInt());
            assertEquals("employeur-demo", toAls.get(0).path("employerId").asText());

            for (String[] attempt : new String[][]{{"employeur-demo", "94VAL0000002"}, {"employeur-demo", "94VAL0000003"},
                    {"employeur-demo", "94NOBODY00001"}, {"employeur-autre", "94VAL0000001"}}) {
                ObjectNode v = JSON.createObjectNode().put("messageId", "val-" + UUID.randomUUID())
                        .put("numeroUnique", attempt[1]).put("validated", true);
                HttpResponse<String> refused = h.clientOf(attempt[0]).post("api/v1/employer/validations",
                        JSON.writeValueAsBytes(v));
                assertEquals(403, refused.statusCode(), String.join(" on ", attempt) + ": " + refused.body());
                assertTrue(refused.body().contains("not_your_employee"), refused.body());
                assertTrue(AlsQueues.about(h, fr.logement.gateway.broker.Broker.ALS_EMPLOYER_VALIDATIONS,
                        v.path("messageId").asText()).isEmpty(), "nothing forwarded");
                try (var c = h.gateway.database().dataSource().getConnection();
                     var q = c.prepareStatement("select count(*) from employer_validation where message_id = ?")) {
                    q.setString(1, v.path("messageId").asText());
                    try (var rs = q.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getInt(1), "nothing stored");
                    }
                }
            }
            assertEquals(403, h.als.post("api/v1/employer/validations", body).statusCode(), "only employers");
        }
    }

    @Test
    void reportsArePushedSignedToAnEmployerWithAnEndpointUntilItTakesThem() throws Exception {
        int port = GatewayHarness.freePort();
        try (GatewayHarness h = GatewayHarness.start(data,
                java.util.Map.of("gateway.employer-demo.endpoint", "https://localhost:" + port + "/reports"))) {
            Pki pki = h.gateway.pki();
            RSAPublicKey gatewayKey = (RSAPublicKey) pki.ensure(Pki.GATEWAY).certificate().getPublicKey();
            List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger(1);
            var server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 0);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(pki.tlsContext(pki.ensure("employeur-demo"))) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters params) {
                    params.setNeedClientAuth(true);
                }
            });
            server.createContext("/reports", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int status;
                try {
                    boolean signed = JWSObject.parse(ex.getRequestHeaders().getFirst("X-JWS-Signature"), new Payload(body))
                            .verify(new RSASSAVerifier(gatewayKey));
                    status = !signed ? 401 : refusals.getAndDecrement() > 0 ? 503 : 200;
                    if (status == 200) received.add(new String(body, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    status = 400;
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            server.start();
            try {
                EmployerReports reports = h.gateway.camel().getRegistry().lookupByNameAndType("employerReports",
                        EmployerReports.class);
                assertEquals(0, reports.releaseAndPushDue(), "the employer's endpoint is down at first");
                assertEquals(1, reports.releaseAndPushDue(), "pushed once it is back");
                assertEquals(0, reports.releaseAndPushDue(), "never pushed twice");
                assertEquals(1, received.size());
                assertTrue(received.get(0).contains("\"employerId\":\"employeur-demo\""), received.get(0));
            } finally {
                server.stop(0);
            }
        }
    }
}
