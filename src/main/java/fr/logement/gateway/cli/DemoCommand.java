package fr.logement.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.Gateway;
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
                + "receipts and print what each landlord received. Exits 0 when every check holds.")
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
                submit(als, gen.designation("DEMO-" + run + "-1", "bailleur-soap-demo", "9200000001", "92050", deadline, 3),
                        submitted, "bailleur-soap-demo");
                submit(als, gen.designation("DEMO-" + run + "-2", "bailleur-rest-demo", "9400000002", "94028", deadline, 2),
                        submitted, "bailleur-rest-demo");

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
                DemoReport report = new DemoReport(settings.configDir(), gen.nirsUsed(), SyntheticDesignations.HANDICAP_MARKER);
                report.add("bailleur-rest-demo", rest.received().stream()
                        .map(r -> new DemoReport.Received(r.designation(), r.rawBody())).toList());
                report.add("bailleur-soap-demo", soap.received().stream()
                        .map(r -> new DemoReport.Received(r.designation(), r.rawEnvelope())).toList());
                System.out.println();
                System.out.println(report.table());
                failures.addAll(report.failures());
                if (failures.isEmpty()) {
                    System.out.println("demo: OK — every designation delivered and receipted; no NIR and no handicap "
                            + "nature reached a landlord.");
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

    private static void show(String what, HttpResponse<String> r) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        System.out.printf("  %-40s -> %d %s%n", what, r.statusCode(), body.path("error").asText());
        for (JsonNode p : body.path("problems")) {
            System.out.printf("  %40s    %s: %s%n", "", p.path("path").asText(), p.path("reason").asText());
        }
    }
}
