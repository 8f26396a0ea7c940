package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.cluster.SingletonJobs;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.testing.BrokerProcess;
import fr.logement.gateway.testing.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static fr.logement.gateway.e2e.GatewayHarness.SOAP_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway instances on one external Artemis (a process of its own) and one PostgreSQL: both take designations,
 * every one is delivered once and in order per offer whichever instance took it, and each singleton job runs on
 * exactly one instance at a time, moving to the other when its holder dies.
 */
class ScaleOutTest {
    @TempDir
    Path data;

    @Test
    void twoInstancesShareTheWorkAndTheSingletonJobs() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start();
             BrokerProcess broker = BrokerProcess.start(data.resolve("broker-process"));
             GatewayHarness h = GatewayHarness.start(data.resolve("shared"), Map.of(
                     "gateway.broker.url", broker.url(),
                     "gateway.db.url", pg.jdbcUrl(),
                     "gateway.jobs.lease-seconds", "2",
                     "gateway.retention.purge-period-ms", "300"))) {
            GatewayHarness.Instance b = h.startAnotherInstance();
            assertNotEquals(h.gateway.jobs().instance(), b.gateway().jobs().instance());

            // Designations for 6 offers, 4 each, half of the offers through each instance, in order per offer.
            SyntheticDesignations gen = new SyntheticDesignations(31);
            Map<String, List<String>> sentPerOffer = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int offer = 0; offer < 6; offer++) {
                    String rpls = "940000010" + offer;
                    String landlord = offer % 2 == 0 ? REST_LANDLORD : SOAP_LANDLORD;
                    String designationId = "SO-" + offer + "-" + round;
                    JsonNode d = gen.designation(designationId, landlord, rpls, "94028",
                            Instant.now().plus(Duration.ofDays(5)), 1);
                    AlsClient via = offer < 3 ? h.als : b.als();
                    HttpResponse<String> r = via.post("api/v1/designations", JSON.writeValueAsBytes(d));
                    assertEquals(202, r.statusCode(), r.body());
                    ids.add(JSON.readTree(r.body()).path("messageId").asText());
                    sentPerOffer.computeIfAbsent(rpls, k -> new ArrayList<>()).add(designationId);
                }
            }
            GatewayHarness.await("every designation delivered", Duration.ofSeconds(60), () ->
                    h.restLandlord.received().size() + h.soapLandlord.received().size() == ids.size());
            for (String id : ids) {
                assertEquals("DELIVERED", h.status(id).path("status").asText(), "one database: either instance knows " + id);
            }
            assertEquals(0, h.restLandlord.repeats(), "nothing delivered twice");

            Map<String, List<String>> receivedPerOffer = new LinkedHashMap<>();
            for (var r : h.restLandlord.received()) {
                receivedPerOffer.computeIfAbsent(r.designation().at("/offer/rplsId").asText(), k -> new ArrayList<>())
                        .add(r.designation().path("designationId").asText());
            }
            for (var r : h.soapLandlord.received()) {
                receivedPerOffer.computeIfAbsent(r.designation().at("/offer/rplsId").asText(), k -> new ArrayList<>())
                        .add(r.designation().path("designationId").asText());
            }
            assertEquals(sentPerOffer, receivedPerOffer, "in order per offer");

            // The purge timer fires on both instances every 300 ms; only the lease holder runs it.
            SingletonJobs ja = h.gateway.jobs();
            SingletonJobs jb = b.gateway().jobs();
            GatewayHarness.await("the purge ran", Duration.ofSeconds(10),
                    () -> ja.runsHere("retention-purge") + jb.runsHere("retention-purge") >= 3);
            long a1 = ja.runsHere("retention-purge");
            long b1 = jb.runsHere("retention-purge");
            assertTrue(a1 == 0 || b1 == 0, "one instance at a time: " + a1 + " / " + b1);

            // The holder dies (its timers stop and its leases are no longer renewed): the other takes the job over.
            GatewayHarness.Instance holder = a1 > 0 ? new GatewayHarness.Instance(h.gateway, h.als) : b;
            SingletonJobs other = a1 > 0 ? jb : ja;
            holder.gateway().camel().getRouteController().stopRoute("retention-purge");
            holder.gateway().jobs().abandon();
            GatewayHarness.await("the other instance took the purge over", Duration.ofSeconds(15),
                    () -> other.runsHere("retention-purge") > 0);
        }
    }
}
