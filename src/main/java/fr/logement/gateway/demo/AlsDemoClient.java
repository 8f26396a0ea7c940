package fr.logement.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** ALS's side of the demo: posts signed designations over mutual TLS and polls their delivery status. */
public final class AlsDemoClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;
    private final DetachedJws signer;

    public AlsDemoClient(URI base, KeyMaterial als, Pki pki) {
        this.base = base;
        this.signer = new DetachedJws(als);
        this.http = HttpClient.newBuilder().sslContext(pki.tlsContext(als)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpResponse<String> post(String path, byte[] body) throws Exception {
        return send(path, body, signer.sign(body, null));
    }

    /** The detached JWS a request with this body carries (to sign ahead, as a benchmark does). */
    public String signature(byte[] body) {
        return signer.sign(body, null);
    }

    /** Posts with a signature made earlier by {@link #signature}. */
    public HttpResponse<String> postSigned(String path, byte[] body, String signature) throws Exception {
        return send(path, body, signature);
    }

    public HttpResponse<String> postUnsigned(String path, byte[] body) throws Exception {
        return send(path, body, null);
    }

    private HttpResponse<String> send(String path, byte[] body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) b.header(DetachedJws.HTTP_HEADER, signature);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A signed GET: the body and the X-JWS-Signature header of the answer. */
    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode status(String messageId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("api/v1/designations/" + messageId))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** Polls until the designation is delivered, expired or dead-lettered, or the timeout passes. */
    public JsonNode awaitDelivered(String messageId, Duration timeout) throws Exception {
        Instant end = Instant.now().plus(timeout);
        JsonNode s = status(messageId);
        while (Instant.now().isBefore(end)) {
            String state = s.path("status").asText();
            if (state.equals("DELIVERED") || state.equals("EXPIRED") || state.equals("DEAD_LETTERED")) return s;
            Thread.sleep(200);
            s = status(messageId);
        }
        return s;
    }
}
