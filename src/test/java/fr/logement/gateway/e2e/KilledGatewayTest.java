package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import fr.logement.gateway.testing.GatewayProcess;
import fr.logement.gateway.testing.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway process killed with SIGKILL while thousands of designations are in flight, then started again: every
 * designation ALS got a 202 for is delivered, none is applied twice (the landlord dedupes by message id, and the
 * gateway by designation id when ALS sends again what got no answer).
 */
class KilledGatewayTest {
    @TempDir
    Path data;

    static final int TOTAL = 2000;

    @Test
    void aGatewayKilledMidStreamLosesNothingAndDeliversNothingTwice() throws Exception {
        Pki pki = Pki.openOrCreate(data.resolve("pki"));
        KeyMaterial gatewayKey = pki.ensure(Pki.GATEWAY);
        Map<String, String> settings = new HashMap<>();
        settings.put("gateway.rest.host", "127.0.0.1");
        for (String port : List.of("gateway.rest.port", "gateway.management.port", "gateway.soap.port", "sim.soap.port",
                "sim.rest.port", "sim.sne.port")) {
            settings.put(port, Integer.toString(TestPorts.free()));
        }
        settings.put("gateway.delivery.redelivery-delay-ms", "200");
        settings.put("gateway.delivery.max-redelivery-delay-ms", "1000");
        settings.put("gateway.delivery.max-attempts", "20");
        Path log = Path.of("target", "killed-gateway-test.log");
        java.nio.file.Files.deleteIfExists(log);

        try (RestLandlordSimulator landlord = new RestLandlordSimulator(Integer.parseInt(settings.get("sim.rest.port")),
                pki.ensure(REST_LANDLORD), gatewayKey.certificate(), pki.caCertificate()).start()) {
            KeyMaterial alsKey = pki.ensure("als");
            AlsClient als = new AlsClient(URI.create("https://localhost:" + settings.get("gateway.rest.port") + "/"),
                    alsKey.privateKey(), alsKey.certificate(), alsKey.privateKey(), alsKey.certificate(), pki.caCertificate());
            SyntheticDesignations gen = new SyntheticDesignations(99);
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < TOTAL; i++) {
                JsonNode d = gen.designation("K-" + i, REST_LANDLORD, String.format("94%08d", i % 400), "94028",
                        Instant.now().plus(Duration.ofDays(3)), 1);
                bodies.add(JSON.writeValueAsBytes(d));
            }

            Set<Integer> accepted = ConcurrentHashMap.newKeySet();
            Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            GatewayProcess gateway = GatewayProcess.start(data, settings, log);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    running.add(clients.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < TOTAL; ) {
                            try {
                                HttpResponse<String> r = als.post("api/v1/designations", bodies.get(i));
                                if (r.statusCode() == 202) accepted.add(i); else unanswered.add(i);
                            } catch (Exception killed) {
                                unanswered.add(i);   // no answer: ALS does not know, and will send it again
                            }
                        }
                        return null;
                    }));
                }
                while (accepted.size() < TOTAL / 2) Thread.sleep(20);
                gateway.kill9();
                for (Future<?> f : running) f.get();
            } finally {
                clients.shutdownNow();
            }
            int acceptedBeforeKill = accepted.size();
            assertTrue(acceptedBeforeKill >= TOTAL / 2 && !unanswered.isEmpty(), "killed mid-stream: "
                    + acceptedBeforeKill + " accepted, " + unanswered.size() + " without an answer");

            try (GatewayProcess again = GatewayProcess.start(data, settings, log)) {
                // ALS sends again what got no 202: a designation the gateway had taken is not taken twice.
                for (int i : new ArrayList<>(unanswered)) {
                    HttpResponse<String> r = als.post("api/v1/designations", bodies.get(i));
                    assertEquals(202, r.statusCode(), r.body());
                    accepted.add(i);
                }
                assertEquals(TOTAL, accepted.size());
                Instant end = Instant.now().plusSeconds(120);
                while (landlord.received().size() < TOTAL && Instant.now().isBefore(end)) Thread.sleep(200);
                assertEquals(TOTAL, landlord.received().size(), "delivered; requests " + landlord.requestCount()
                        + ", repeats " + landlord.repeats() + "; see " + log);
                Thread.sleep(500);   // anything delivered twice would show now
                Set<String> designationIds = new HashSet<>();
                for (var r : landlord.received()) {
                    assertTrue(designationIds.add(r.designation().path("designationId").asText()),
                            "applied twice: " + r.designation().path("designationId").asText());
                }
                assertEquals(TOTAL, designationIds.size(), "nothing lost");
                assertTrue(landlord.repeats() <= 4, "at most the deliveries cut by the kill were repeated (and "
                        + "absorbed by message id): " + landlord.repeats());
            } finally {
                gateway.close();
            }
        }
    }
}
