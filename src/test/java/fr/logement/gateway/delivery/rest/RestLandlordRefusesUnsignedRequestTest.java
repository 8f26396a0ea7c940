package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The landlord answers 401 to a request without X-JWS-Signature, even over the gateway's mTLS, and stores nothing. */
class RestLandlordRefusesUnsignedRequestTest {
    @TempDir
    Path dir;

    @Test
    void unsignedRequestGets401AndNothingIsStored() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            f.startLandlord();
            byte[] body = "{\"messageId\":\"msg-u\",\"designation\":{}}".getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> r = f.postRaw(body, Map.of("X-Message-Id", "msg-u"));

            assertEquals(401, r.statusCode());
            assertEquals("unsigned", Json.mapper().readTree(r.body()).get("error").asText());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(0, f.simulator.received().size());
        }
    }
}
