package fr.logement.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.Gateway;
import fr.logement.gateway.allocation.soap.AllocationEventSoapEndpoint;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.landlordsim.LandlordSoapClient;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.demo.AlsDemoClient;
import fr.logement.gateway.demo.DemoReport;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import fr.logement.gateway.landlordsim.SoapLandlordSimulator;
import fr.logement.gateway.pki.Pki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Plays a complete scenario on the embedded defaults: the gateway, a SOAP and a REST simulated landlord, ALS
 * submitting designations (and a few that must be refused), then a summary of what each landlord received.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the gateway and two simulated landlords, submit designations as ALS, wait for the signed "
                + "receipts, have the landlords report decisions and a lease over SOAP and REST, and print what each "
                + "side received. Exits 0 when every check holds.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--timeout", description = "How long to wait for deliveries, in seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "60")
    int timeoutSeconds;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        try (Gateway gateway = Gateway.start(settings)) {
            Pki pki = gateway.pki();
            var gatewayCert = pki.ensure(Pki.GATEWAY).certificate();
            try (RestLandlordSimulator rest = new RestLandlordSimulator(settings.intValue("sim.rest.port"),
                         pki.ensure("bailleur-rest-demo"), gatewayCert, pki.caCertificate()).start();
                 SoapLandlordSimulator soap = new SoapLandlordSimulator(settings.intValue("sim.soap.port"),
                         pki.ensure("bailleur-soap-demo"), gatewayCert, pki.caCertificate()).start()) {
                AlsDemoClient als = new AlsDemoClient(URI.create("https://localhost:" + gateway.restPort() + "/"),
                        pki.ensure("als"), pki);
                SyntheticDesignations gen = new SyntheticDesignations(System.nanoTime());
                String run = Long.toString(Instant.now().getEpochSecond(), 36).toUpperCase();
                Instant deadline = Instant.now().plus(Duration.ofDays(10));

                System.out.println("== Submitting designations as ALS");
                Map<String, String> submitted = new LinkedHashMap<>();
                JsonNode toSoap = gen.designation("DEMO-" + run + "-1", "bailleur-soap-demo", "9200000001", "92050", deadline, 3);
                JsonNode toRest = gen.designation("DEMO-" + run + "-2", "bailleur-rest-demo", "9400000002", "94028", deadline, 2);
                submit(als, toSoap, submitted, "bailleur-soap-demo");
                submit(als, toRest, submitted, "bailleur-rest-demo");

                System.out.println("== Inputs the gateway must refuse");
                byte[] body = JSON.writeValueAsBytes(gen.designation("DEMO-" + run + "-3", "bailleur-rest-demo",
                        "9400000003", "94028", deadline, 1));
                show("unsigned", als.postUnsigned("api/v1/designations", body));
                JsonNode bad = gen.designation("DEMO-" + run + "-4", "bailleur-lyon-demo", "9200000004", "92050", deadline, 1);
                show("landlord outside the offer's territory", als.post("api/v1/designations", JSON.writeValueAsBytes(bad)));

                System.out.println("== Waiting for the landlords' signed receipts");
                List<String> failures = new ArrayList<>();
                for (var e : submitted.entrySet()) {
                    JsonNode s = als.awaitDelivered(e.getKey(), Duration.ofSeconds(timeoutSeconds));
                    System.out.printf("  %s -> %-20s %s (receipt %s)%n", e.getKey(), e.getValue(),
                            s.path("status").asText(), s.path("receiptId").asText("-"));
                    if (!"DELIVERED".equals(s.path("status").asText())) failures.add(e.getKey() + " not delivered");
                }
                System.out.println("== The landlords answer: CALEOL decisions, a withdrawal, a lease (signed SOAP and REST)");
                KeyMaterial soapKey = pki.ensure("bailleur-soap-demo");
                LandlordSoapClient soapEvents = new LandlordSoapClient(URI.create("https://localhost:"
                        + settings.intValue("gateway.soap.port") + AllocationEventSoapEndpoint.PATH),
                        soapKey.privateKey(), soapKey.certificate(), pki.caCertificate());
                AlsDemoClient restEvents = new AlsDemoClient(URI.create("https://localhost:" + gateway.restPort() + "/"),
                        pki.ensure("bailleur-rest-demo"), pki);
                String d1 = toSoap.path("designationId").asText();
                String d2 = toRest.path("designationId").asText();
                List<Map<String, String>> soapScript = List.of(
                        event(run, "caleol_decision", d1, candidate(toSoap, 1), "allocated_rank_1"),
                        event(run, "caleol_decision", d1, candidate(toSoap, 2), "allocated_rank_2"),
                        event(run, "not_retained_complete_file", d1, candidate(toSoap, 3), null),
                        event(run, "lease_signed", d1, candidate(toSoap, 1), null));
                for (Map<String, String> e : soapScript) {
                    HttpResponse<String> r = soapEvents.post(LandlordSoapClient.xml(LandlordSoapClient.sign(
                            LandlordSoapClient.envelope(e), LandlordSoapClient.Signing.by(soapKey.privateKey(),
                                    soapKey.certificate()))));
                    reported("SOAP", "bailleur-soap-demo", e, r.statusCode(), failures);
                }
                List<Map<String, String>> restScript = List.of(
                        event(run, "withdrawal", d2, candidate(toRest, 1), null),
                        event(run, "caleol_decision", d2, candidate(toRest, 2), "allocated_rank_1"),
                        event(run, "lease_signed", d2, candidate(toRest, 2), null));
                for (Map<String, String> e : restScript) {
                    HttpResponse<String> r = restEvents.post("api/v1/allocation-events", JSON.writeValueAsBytes(e));
                    reported("REST", "bailleur-rest-demo", e, r.statusCode(), failures);
                }
                System.out.println("== An employer: its employees' choices (from ALS), a validation with company points, "
                        + "its monthly report");
                String employerSiret = gateway.partners().find("employeur-demo").orElseThrow().siret();
                for (int rank = 1; rank <= 3; rank++) {
                    Map<String, Object> choice = new LinkedHashMap<>();
                    choice.put("messageId", "choice-" + run + "-" + rank);
                    choice.put("numeroUnique", candidate(toSoap, rank));
                    choice.put("employerSiret", employerSiret);
                    choice.put("choice", rank == 3 ? "anonymous" : "minimal");
                    choice.put("effectiveAt", Instant.now().minusSeconds(60).toString());
                    choice.put("request", candidateOf(toSoap, rank));    // the gateway keeps what an employer may see
                    int st = als.post("api/v1/employee-choices", JSON.writeValueAsBytes(choice)).statusCode();
                    System.out.printf("  ALS: candidate ranked %d chose %-9s -> %d%n", rank, choice.get("choice"), st);
                    if (st != 202) failures.add("employee choice refused (" + st + ")");
                }
                AlsDemoClient employer = new AlsDemoClient(URI.create("https://localhost:" + gateway.restPort() + "/"),
                        pki.ensure("employeur-demo"), pki);
                Map<String, Object> validation = new LinkedHashMap<>();
                validation.put("messageId", "validation-" + run);
                validation.put("numeroUnique", candidate(toSoap, 1));
                validation.put("validated", true);
                validation.put("companyPoints", 150);
                int vs = employer.post("api/v1/employer/validations", JSON.writeValueAsBytes(validation)).statusCode();
                System.out.printf("  employer validates its employee's request, +150 company points -> %d%n", vs);
                if (vs != 200) failures.add("employer validation refused (" + vs + ")");
                validation.put("messageId", "validation-" + run + "-anon");
                validation.put("numeroUnique", candidate(toSoap, 3));
                int anon = employer.post("api/v1/employer/validations", JSON.writeValueAsBytes(validation)).statusCode();
                System.out.printf("  employer tries an employee who chose anonymity      -> %d%n", anon);
                if (anon != 403) failures.add("an anonymous employee's request was not refused to the employer");
                HttpResponse<String> view = employer.get("api/v1/employers/employeur-demo/requests/" + candidate(toSoap, 1));
                System.out.printf("  employer reads its employee's request (minimal)        -> %d, fields: %s%n",
                        view.statusCode(), view.statusCode() == 200 ? fieldNames(JSON.readTree(view.body())) : "-");
                if (view.statusCode() != 200) failures.add("employer view of a request not served (" + view.statusCode() + ")");
                int hidden = employer.get("api/v1/employers/employeur-demo/requests/" + candidate(toSoap, 3)).statusCode();
                System.out.printf("  employer reads an anonymous employee's request         -> %d%n", hidden);
                if (hidden != 403) failures.add("an anonymous employee's request was shown to the employer");
                String lastMonth = java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1).toString();
                HttpResponse<String> monthly = employer.get("api/v1/employers/employeur-demo/reports/" + lastMonth);
                System.out.printf("  employer fetches its report for %s -> %d %s (signed: %s)%n", lastMonth,
                        monthly.statusCode(), JSON.readTree(monthly.body()).path("allocations").asText(),
                        monthly.headers().firstValue("X-JWS-Signature").isPresent() ? "yes" : "no");
                if (monthly.statusCode() != 200) failures.add("employer report not served (" + monthly.statusCode() + ")");

                System.out.println("== What ALS sees");
                for (var e : submitted.entrySet()) {
                    JsonNode s = als.status(e.getKey());
                    StringBuilder h = new StringBuilder();
                    for (JsonNode ev : s.path("events")) {
                        h.append(h.length() == 0 ? "" : ", ").append(ev.path("type").asText())
                                .append(ev.path("decision").isTextual() ? "(" + ev.path("decision").asText() + ")" : "");
                    }
                    System.out.printf("  %s %-20s decision history: %s%n", s.path("designationId").asText(),
                            e.getValue(), h);
                }
                System.out.printf("  queue %s: %s events; queue %s: %s score notices%n",
                        Broker.ALS_ALLOCATION_EVENTS, gateway.broker().depth(Broker.ALS_ALLOCATION_EVENTS).orElse(-1),
                        Broker.ALS_SCORE_NOTICES, gateway.broker().depth(Broker.ALS_SCORE_NOTICES).orElse(-1));

                DemoReport report = new DemoReport(settings.configDir(), gen.nirsUsed(), SyntheticDesignations.HANDICAP_MARKER);
                report.add("bailleur-rest-demo", rest.received().stream()
                        .map(r -> new DemoReport.Received(r.designation(), r.rawBody())).toList());
                report.add("bailleur-soap-demo", soap.received().stream()
                        .map(r -> new DemoReport.Received(r.designation(), r.rawEnvelope())).toList());
                System.out.println();
                System.out.println(report.table());
                failures.addAll(report.failures());
                if (failures.isEmpty()) {
                    System.out.println("demo: OK — every designation delivered and receipted; every landlord event "
                            + "accepted, receipted and forwarded to ALS; no NIR and no handicap nature reached a landlord.");
                    return 0;
                }
                failures.forEach(f -> System.out.println("demo: FAILED — " + f));
                return 1;
            }
        }
    }

    private static void submit(AlsDemoClient als, JsonNode designation, Map<String, String> submitted, String landlord)
            throws Exception {
        HttpResponse<String> r = als.post("api/v1/designations", JSON.writeValueAsBytes(designation));
        JsonNode body = JSON.readTree(r.body());
        System.out.printf("  %s for %s: %d %s%n", designation.path("designationId").asText(), landlord, r.statusCode(),
                body.path("messageId").asText(body.toString()));
        if (r.statusCode() == 202) submitted.put(body.path("messageId").asText(), landlord);
    }

    /** The request number of the candidate ranked {@code rank}. */
    private static JsonNode candidateOf(JsonNode designation, int rank) {
        for (JsonNode c : designation.path("candidates")) {
            if (c.path("rank").asInt() == rank) return c;
        }
        throw new IllegalArgumentException("no candidate ranked " + rank);
    }

    /** The field paths of a JSON object (names only, never values). */
    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) fieldNames(e.getValue()).forEach(f -> names.add(e.getKey() + "." + f));
            else names.add(e.getKey());
        });
        return names;
    }

    private static String candidate(JsonNode designation, int rank) {
        return candidateOf(designation, rank).at("/identity/numeroUnique").asText();
    }

    private static Map<String, String> event(String run, String type, String designationId, String numeroUnique,
                                             String decision) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("messageId", "evt-" + run + "-" + java.util.UUID.randomUUID());
        e.put("type", type);
        e.put("designationId", designationId);
        e.put("numeroUnique", numeroUnique);
        if (decision != null) {
            e.put("decision", decision);
            e.put("commissionReference", "CAL-" + run);
        }
        e.put("eventDate", java.time.LocalDate.now().toString());
        return e;
    }

    private static void reported(String channel, String landlord, Map<String, String> e, int status, List<String> failures) {
        System.out.printf("  %-4s %-20s %-28s %-26s -> %d%n", channel, landlord, e.get("type"),
                e.getOrDefault("decision", ""), status);
        if (status != 200) failures.add(channel + " event " + e.get("type") + " from " + landlord + " refused (" + status + ")");
    }

    private static void show(String what, HttpResponse<String> r) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        System.out.printf("  %-40s -> %d %s%n", what, r.statusCode(), body.path("error").asText());
        for (JsonNode p : body.path("problems")) {
            System.out.printf("  %40s    %s: %s%n", "", p.path("path").asText(), p.path("reason").asText());
        }
    }
}
