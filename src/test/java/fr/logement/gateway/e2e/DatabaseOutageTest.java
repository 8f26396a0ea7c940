package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.testing.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database (a real PostgreSQL) goes away for a while: inputs are refused with 503, never accepted and then
 * lost, health says DOWN; when it is back the gateway recovers by itself and takes and delivers designations again.
 */
class DatabaseOutageTest {
    @TempDir
    Path data;

    @Test
    void inputsAreRefusedWith503DuringTheOutageAndTheGatewayRecoversByItself() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start();
             GatewayHarness h = GatewayHarness.start(data, Map.of("gateway.db.url", pg.jdbcUrl()))) {
            SyntheticDesignations gen = new SyntheticDesignations(41);
            h.delivered(gen.designation("DB-0", REST_LANDLORD, "9400000400", "94028", Instant.now().plus(Duration.ofDays(2)), 1));
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + h.settings.get("gateway.management.port") + "/health");

            pg.stopServer();
            JsonNode during = gen.designation("DB-1", REST_LANDLORD, "9400000401", "94028", Instant.now().plus(Duration.ofDays(2)), 1);
            HttpResponse<String> refused = h.als.post("api/v1/designations", JSON.writeValueAsBytes(during));
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("unavailable"), refused.body());
            assertEquals(503, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "health says DOWN");
            assertEquals(0L, h.gateway.broker().depth(Broker.DESIGNATION_OUTBOUND).orElseThrow(), "nothing was queued");
            assertEquals(1, h.restLandlord.received().size(), "nothing was forwarded");

            pg.startServer();
            GatewayHarness.await("health UP again", Duration.ofSeconds(30), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            String id = h.submit(during, 202).path("messageId").asText();   // ALS sends it again: taken this time
            h.awaitState(id, "DELIVERED", Duration.ofSeconds(20));
            assertEquals(2, h.restLandlord.received().size());
        }
    }
}
