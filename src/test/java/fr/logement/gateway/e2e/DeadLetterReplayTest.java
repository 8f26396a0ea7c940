package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.operator.OperatorToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A landlord that never comes back: the designation is dead-lettered after the last attempt, listed by the operator
 * endpoint (token required, no content shown), replayed once the landlord is fixed, and delivered once.
 */
class DeadLetterReplayTest {
    @TempDir
    Path data;

    @Test
    void aDeadLetterIsListedThenReplayedAndDeliveredOnce() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            h.restLandlord.setAvailable(false);
            SyntheticDesignations gen = new SyntheticDesignations(5);
            JsonNode d = gen.designation("DLQ-1", REST_LANDLORD, "9400000001", "94028", Instant.now().plus(Duration.ofDays(5)), 1);
            String id = h.submit(d, 202).path("messageId").asText();
            h.awaitState(id, "DEAD_LETTERED", Duration.ofSeconds(30));

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + h.settings.get("gateway.management.port") + "/operator/dead-letters";
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());

            String token = OperatorToken.read(data);
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Authorization", "Bearer " + token).header("X-Operator", "ops-test").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listed.statusCode(), listed.body());
            assertTrue(listed.body().contains(id), listed.body());
            assertFalse(listed.body().contains(d.at("/candidates/0/identity/lastName").asText()), "no content listed");

            h.restLandlord.setAvailable(true);
            HttpResponse<String> replayed = http.send(HttpRequest.newBuilder(URI.create(base + "/replay?messageId=" + id))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, replayed.statusCode(), replayed.body());
            h.awaitState(id, "DELIVERED", Duration.ofSeconds(30));
            assertEquals(1, h.restLandlord.received().stream().filter(r -> r.messageId().equals(id)).count());

            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/replay?messageId=" + id))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, again.statusCode(), "nothing left to replay");
            assertTrue(h.gateway.audit().all().stream().anyMatch(e -> e.nature().equals("dead_letters.replayed")
                    && id.equals(e.messageId())), "the replay is audited");
            JsonNode status = h.status(id);
            assertEquals("DELIVERED", status.path("status").asText());
        }
    }

    @Test
    void deadLettersOlderThanTheirRetentionArePurgedFromTheBroker() throws Exception {
        try (GatewayHarness h = GatewayHarness.start(data)) {
            h.restLandlord.setAvailable(false);
            JsonNode d = new SyntheticDesignations(6).designation("DLQ-2", REST_LANDLORD, "9400000001", "94028",
                    Instant.now().plus(Duration.ofDays(5)), 1);
            String id = h.submit(d, 202).path("messageId").asText();
            h.awaitState(id, "DEAD_LETTERED", Duration.ofSeconds(30));
            var purgeNow = new fr.logement.gateway.dataprotection.RetentionPurge(h.gateway.database().dataSource(),
                    h.gateway.retention(), h.gateway.audit(), data, java.time.Clock.systemUTC())
                    .withBroker(h.gateway.broker().connectionFactory());
            assertEquals(0, purgeNow.run("ops-test").get("dead letters"), "not expired yet");
            var purgeLater = new fr.logement.gateway.dataprotection.RetentionPurge(h.gateway.database().dataSource(),
                    h.gateway.retention(), h.gateway.audit(), data,
                    java.time.Clock.fixed(Instant.now().plus(Duration.ofDays(31)), java.time.ZoneOffset.UTC))
                    .withBroker(h.gateway.broker().connectionFactory());
            assertEquals(1, purgeLater.run("ops-test").get("dead letters"));
            assertEquals(0L, h.gateway.broker().depth(fr.logement.gateway.broker.Broker.DESIGNATION_DEAD_LETTERS).orElse(-1));
        }
    }
}
