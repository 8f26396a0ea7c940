package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A body over the landlord's size limit gets 413 and is not stored, signed or not. */
class RestLandlordBodyLimitTest {
    @TempDir
    Path dir;

    @Test
    void oversizedBodyGets413() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            f.simulator = new RestLandlordSimulator(RestFixture.freePort(), f.landlordKey, f.gateway.certificate(),
                    f.pki.caCertificate(), 1024).start();
            byte[] body = ("{\"messageId\":\"msg-big\",\"designation\":{\"pad\":\"" + "x".repeat(2048) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> r = f.postRaw(body, Map.of("X-Message-Id", "msg-big",
                    DetachedJws.HTTP_HEADER, new DetachedJws(f.gateway).sign(body, "msg-big")));

            assertEquals(413, r.statusCode());
            assertEquals(0, f.simulator.received().size());
        }
    }
}
