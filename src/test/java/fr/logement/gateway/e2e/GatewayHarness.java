package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.Gateway;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import fr.logement.gateway.landlordsim.SoapLandlordSimulator;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts the real thing for end-to-end tests: a gateway on loopback ports (Netty HTTPS, embedded Artemis, H2 file)
 * with a fresh data directory, the two simulated landlords, and ALS as an independent client.
 */
final class GatewayHarness implements AutoCloseable {
    static final String SOAP_LANDLORD = "bailleur-soap-demo";
    static final String REST_LANDLORD = "bailleur-rest-demo";
    private static final AtomicInteger VM_IDS = new AtomicInteger(100);
    static final ObjectMapper JSON = new ObjectMapper();

    final Path data;
    final Map<String, String> settings;
    Gateway gateway;
    RestLandlordSimulator restLandlord;
    SoapLandlordSimulator soapLandlord;
    AlsClient als;

    private GatewayHarness(Path data, Map<String, String> extra) throws IOException {
        this.data = data;
        this.settings = new HashMap<>();
        settings.put("gateway.data-dir", data.toString());
        settings.put("gateway.rest.host", "127.0.0.1");
        settings.put("gateway.rest.port", Integer.toString(freePort()));
        settings.put("gateway.management.port", Integer.toString(freePort()));
        settings.put("gateway.soap.host", "127.0.0.1");
        settings.put("gateway.soap.port", Integer.toString(freePort()));
        settings.put("sim.soap.port", Integer.toString(freePort()));
        settings.put("sim.rest.port", Integer.toString(freePort()));
        settings.put("sim.sne.port", Integer.toString(freePort()));
        settings.put("gateway.broker.vm-id", Integer.toString(VM_IDS.incrementAndGet()));
        settings.put("gateway.delivery.max-attempts", "4");
        settings.put("gateway.delivery.redelivery-delay-ms", "200");
        settings.put("gateway.delivery.redelivery-multiplier", "1.5");
        settings.put("gateway.delivery.max-redelivery-delay-ms", "1000");
        settings.putAll(extra);
    }

    static GatewayHarness start(Path data) throws Exception {
        return start(data, Map.of());
    }

    static GatewayHarness start(Path data, Map<String, String> extra) throws Exception {
        GatewayHarness h = new GatewayHarness(data, extra);
        try {
            return h.startAll();
        } catch (Exception | Error e) {
            h.close();   // a half-started harness must not keep ports and threads for the next test
            throw e;
        }
    }

    private GatewayHarness startAll() throws Exception {
        GatewayHarness h = this;
        h.startGateway();
        Pki pki = h.gateway.pki();
        X509 gw = new X509(pki.ensure(Pki.GATEWAY));
        h.restLandlord = new RestLandlordSimulator(Integer.parseInt(h.settings.get("sim.rest.port")),
                pki.ensure(REST_LANDLORD), gw.km.certificate(), pki.caCertificate()).start();
        h.soapLandlord = new SoapLandlordSimulator(Integer.parseInt(h.settings.get("sim.soap.port")),
                pki.ensure(SOAP_LANDLORD), gw.km.certificate(), pki.caCertificate()).start();

        KeyMaterial als = pki.ensure("als");
        h.als = new AlsClient(URI.create("https://localhost:" + h.settings.get("gateway.rest.port") + "/"),
                als.privateKey(), als.certificate(), als.privateKey(), als.certificate(), pki.caCertificate());
        return h;
    }

    private record X509(KeyMaterial km) {}

    /** Another gateway instance on the same configuration, broker, database and data directory, with its own ports. */
    record Instance(Gateway gateway, AlsClient als) {}

    private final java.util.List<Gateway> others = new java.util.ArrayList<>();

    Instance startAnotherInstance() throws Exception {
        Map<String, String> own = new HashMap<>(settings);
        own.put("gateway.rest.port", Integer.toString(freePort()));
        own.put("gateway.management.port", Integer.toString(freePort()));
        own.put("gateway.soap.port", Integer.toString(freePort()));
        own.put("gateway.broker.vm-id", Integer.toString(VM_IDS.incrementAndGet()));
        Gateway g = Gateway.start(GatewaySettings.load(Path.of("config"), own));
        others.add(g);
        Pki pki = g.pki();
        KeyMaterial als = pki.ensure("als");
        return new Instance(g, new AlsClient(URI.create("https://localhost:" + own.get("gateway.rest.port") + "/"),
                als.privateKey(), als.certificate(), als.privateKey(), als.certificate(), pki.caCertificate()));
    }

    void startGateway() throws Exception {
        gateway = Gateway.start(GatewaySettings.load(Path.of("config"), settings));
    }

    void restartGateway() throws Exception {
        gateway.close();
        startGateway();
    }

    /** Posts a designation as ALS and returns the parsed answer; fails the test unless the status is as expected. */
    /** A client for a partner's system (a landlord, say), with that partner's own TLS and signing key. */
    AlsClient clientOf(String partnerId) throws Exception {
        Pki pki = gateway.pki();
        KeyMaterial k = pki.ensure(partnerId);
        return new AlsClient(URI.create("https://localhost:" + settings.get("gateway.rest.port") + "/"),
                k.privateKey(), k.certificate(), k.privateKey(), k.certificate(), pki.caCertificate());
    }

    /** Submits a designation and waits until the landlord has it; returns its message id. */
    String delivered(JsonNode designation) throws Exception {
        String messageId = submit(designation, 202).path("messageId").asText();
        awaitState(messageId, "DELIVERED", Duration.ofSeconds(20));
        return messageId;
    }

    JsonNode submit(JsonNode designation, int expectedStatus) throws Exception {
        HttpResponse<String> r = als.post("api/v1/designations", JSON.writeValueAsBytes(designation));
        if (r.statusCode() != expectedStatus) {
            fail("expected " + expectedStatus + " but got " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode status(String messageId) throws Exception {
        HttpResponse<String> r = als.get("api/v1/designations/" + messageId);
        if (r.statusCode() != 200) fail("status query: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** Waits until the designation reaches {@code state}, failing with its last status after {@code timeout}. */
    JsonNode awaitState(String messageId, String state, Duration timeout) throws Exception {
        Instant end = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(end)) {
            last = status(messageId);
            if (state.equals(last.path("status").asText())) return last;
            Thread.sleep(100);
        }
        fail("designation never reached " + state + "; last status: " + last);
        return null;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what);
    }

    static int freePort() throws IOException {
        return fr.logement.gateway.testing.TestPorts.free();
    }

    @Override
    public void close() {
        for (Gateway g : others) g.close();
        if (gateway != null) gateway.close();
        if (restLandlord != null) restLandlord.close();
        if (soapLandlord != null) soapLandlord.close();
    }
}
