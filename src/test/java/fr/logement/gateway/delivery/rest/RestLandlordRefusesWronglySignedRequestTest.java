package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.http.Json;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.pki.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The landlord answers 401 to a request signed by another key than the gateway's registered one, or whose body
 * changed after signing, and stores nothing.
 */
class RestLandlordRefusesWronglySignedRequestTest {
    @TempDir
    Path dir;

    @Test
    void signedByAnotherCertifiedKeyGets401() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            f.startLandlord();
            KeyMaterial other = f.pki.ensure("someone-else");
            byte[] body = "{\"messageId\":\"msg-w\",\"designation\":{}}".getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> r = f.postRaw(body, Map.of("X-Message-Id", "msg-w",
                    DetachedJws.HTTP_HEADER, new DetachedJws(other).sign(body, "msg-w")));

            assertEquals(401, r.statusCode());
            assertEquals("bad_signature", Json.mapper().readTree(r.body()).get("error").asText());
            assertEquals(0, f.simulator.received().size());
        }
    }

    @Test
    void bodyChangedAfterSigningGets401() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            f.startLandlord();
            byte[] signed = "{\"messageId\":\"msg-t\",\"designation\":{\"rank\":1}}".getBytes(StandardCharsets.UTF_8);
            byte[] sent = "{\"messageId\":\"msg-t\",\"designation\":{\"rank\":2}}".getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> r = f.postRaw(sent, Map.of("X-Message-Id", "msg-t",
                    DetachedJws.HTTP_HEADER, new DetachedJws(f.gateway).sign(signed, "msg-t")));

            assertEquals(401, r.statusCode());
            assertEquals(0, f.simulator.received().size());
        }
    }
}
