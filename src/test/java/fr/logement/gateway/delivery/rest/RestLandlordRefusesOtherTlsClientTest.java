package fr.logement.gateway.delivery.rest;

import fr.logement.gateway.http.Json;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.pki.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TLS client that the CA vouches for but that is not the gateway gets 403, even with a body the gateway signed
 * (a replayed request): the landlord knows its partner by its exact certificate.
 */
class RestLandlordRefusesOtherTlsClientTest {
    @TempDir
    Path dir;

    @Test
    void anotherCertifiedTlsClientGets403() throws Exception {
        try (RestFixture f = new RestFixture(dir)) {
            f.startLandlord();
            KeyMaterial other = f.pki.ensure("another-partner");
            byte[] body = "{\"messageId\":\"msg-r\",\"designation\":{}}".getBytes(StandardCharsets.UTF_8);
            HttpClient client = HttpClient.newBuilder().sslContext(f.pki.tlsContext(other))
                    .version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(f.simulator.endpoint())
                    .timeout(Duration.ofSeconds(10))
                    .header("X-Message-Id", "msg-r")
                    .header(DetachedJws.HTTP_HEADER, new DetachedJws(f.gateway).sign(body, "msg-r"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(403, r.statusCode());
            assertEquals("unknown_client", Json.mapper().readTree(r.body()).get("error").asText());
            assertEquals(0, f.simulator.received().size());
        }
    }
}
