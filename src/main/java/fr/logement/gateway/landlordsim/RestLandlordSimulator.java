package fr.logement.gateway.landlordsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.jose.JwsVerificationException;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A landlord's REST endpoint for tests and demos: a real HTTPS server on loopback that requires the gateway's TLS
 * client certificate, verifies the gateway's detached JWS, keeps what it received (once per message id) and answers
 * a receipt signed with its own key, as a real landlord would.
 * <p>
 * Answers: 200 signed receipt; 400 malformed body; 401 unsigned or badly signed; 403 TLS client is not the gateway;
 * 405 not a POST; 409 message id already received with another body; 413 body too large; 500 after
 * {@link #failNext(int)}; 503 while {@link #setAvailable(boolean) unavailable}.
 */
public final class RestLandlordSimulator implements AutoCloseable {
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;
    public static final String PATH = "/designations";

    /**
     * One designation as the landlord stored it.
     *
     * @param designation the designation without the documents' {@code content}
     * @param documents   each document's decoded bytes, by {@code documentId}
     * @param rawBody     the request body exactly as received (what the JWS and the receipt digest cover)
     */
    public record ReceivedDesignation(String messageId, JsonNode designation, Map<String, byte[]> documents,
                                      byte[] rawBody) {
    }

    private final int port;
    private final KeyMaterial own;
    private final X509Certificate gatewayCertificate;
    private final SSLContext tls;
    private final long maxBodyBytes;
    private final DetachedJws signer;

    private final Object lock = new Object();
    private final List<ReceivedDesignation> received = new ArrayList<>();
    private final Map<String, byte[]> receiptByMessageId = new LinkedHashMap<>();
    private final Map<String, String> digestByMessageId = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger repeats = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean available = true;

    private HttpsServer server;
    private ExecutorService executor;

    /**
     * @param port               loopback port to listen on
     * @param own                the landlord's key: TLS server certificate and receipt signatures
     * @param gatewayCertificate the gateway's registered certificate: the only TLS client and JWS signer accepted
     * @param caCertificate      the CA that issued TLS client certificates
     */
    public RestLandlordSimulator(int port, KeyMaterial own, X509Certificate gatewayCertificate,
                                 X509Certificate caCertificate) {
        this(port, own, gatewayCertificate, caCertificate, DEFAULT_MAX_BODY_BYTES);
    }

    public RestLandlordSimulator(int port, KeyMaterial own, X509Certificate gatewayCertificate,
                                 X509Certificate caCertificate, long maxBodyBytes) {
        this.port = port;
        this.own = own;
        this.gatewayCertificate = gatewayCertificate;
        this.tls = Pki.tlsContext(own, List.of(caCertificate));
        this.maxBodyBytes = maxBodyBytes;
        this.signer = new DetachedJws(own);
    }

    public synchronized RestLandlordSimulator start() throws IOException {
        if (server != null) return this;
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "rest-landlord-sim-" + port);
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        return this;
    }

    public synchronized void stop() {
        if (server == null) return;
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** Where the gateway should post: {@code https://localhost:<port>/designations}. */
    public URI endpoint() {
        return URI.create("https://localhost:" + port + PATH);
    }

    public X509Certificate certificate() {
        return own.certificate();
    }

    /** What was accepted, once per message id, in arrival order. */
    public List<ReceivedDesignation> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    /** How many times a message id already accepted came again (answered with its first receipt, not applied again). */
    public int repeats() {
        return repeats.get();
    }

    /** How many requests reached the server, whatever their outcome. */
    public int requestCount() {
        return requests.get();
    }

    /** While false, every request gets 503. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /** The next {@code n} requests get 500, as a landlord having trouble would answer. */
    public void failNext(int n) {
        failures.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            if (!"POST".equals(ex.getRequestMethod())) {
                error(ex, 405, "method_not_allowed", "POST only");
                return;
            }
            if (!available) {
                drain(ex);
                error(ex, 503, "unavailable", "the landlord is not available");
                return;
            }
            if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                drain(ex);
                error(ex, 500, "simulated_failure", "the landlord failed");
                return;
            }
            if (!fromGateway(ex)) {
                error(ex, 403, "unknown_client", "TLS client certificate is not the gateway's");
                return;
            }
            byte[] body = readBody(ex);
            if (body == null) {
                error(ex, 413, "too_large", "body larger than " + maxBodyBytes + " bytes");
                return;
            }
            accept(ex, body);
        } catch (RuntimeException e) {
            // Never echo the body or the exception text: either could hold personal data.
            error(ex, 500, "internal_error", "internal error");
        } finally {
            ex.close();
        }
    }

    private void accept(HttpExchange ex, byte[] body) throws IOException {
        String signature = ex.getRequestHeaders().getFirst(DetachedJws.HTTP_HEADER);
        DetachedJws.Verified verified;
        try {
            verified = DetachedJws.verify(body, signature, gatewayCertificate, DetachedJws.SUPPORTED);
        } catch (JwsVerificationException e) {
            String code = e.reason() == JwsVerificationException.Reason.MISSING ? "unsigned" : "bad_signature";
            error(ex, 401, code, e.reason() + ": " + e.getMessage());
            return;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            error(ex, 400, "malformed_json", "not well-formed JSON");
            return;
        }
        if (root == null || !root.isObject() || !root.path("messageId").isTextual() || !root.path("designation").isObject()) {
            error(ex, 400, "malformed_message", "expected {messageId, designation}");
            return;
        }
        String messageId = root.get("messageId").asText();
        String headerId = ex.getRequestHeaders().getFirst("X-Message-Id");
        if (!messageId.equals(headerId) || (verified.messageId() != null && !messageId.equals(verified.messageId()))) {
            error(ex, 400, "message_id_mismatch", "X-Message-Id, jti and body messageId differ");
            return;
        }
        ObjectNode designation = ((ObjectNode) root.get("designation")).deepCopy();
        Map<String, byte[]> documents = new LinkedHashMap<>();
        String problem = extractDocuments(designation, documents);
        if (problem != null) {
            error(ex, 400, "bad_document", problem);
            return;
        }
        String digest = Digests.sha256(body);
        byte[] receipt;
        synchronized (lock) {
            byte[] previous = receiptByMessageId.get(messageId);
            if (previous != null) {
                if (!digest.equals(digestByMessageId.get(messageId))) {
                    error(ex, 409, "duplicate_message_id", "message id already received with another body");
                    return;
                }
                receipt = previous;
                repeats.incrementAndGet();
            } else {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("messageId", messageId);
                r.put("receiptId", "RCPT-" + UUID.randomUUID());
                r.put("receivedAt", Instant.now().toString());
                r.put("bodyDigest", digest);
                receipt = Json.bytes(r);
                received.add(new ReceivedDesignation(messageId, designation, Map.copyOf(documents), body));
                receiptByMessageId.put(messageId, receipt);
                digestByMessageId.put(messageId, digest);
            }
        }
        // Signed afresh on each answer, so a repeated receipt is not refused as stale; its bytes are the same.
        ex.getResponseHeaders().set(DetachedJws.HTTP_HEADER, signer.sign(receipt, messageId));
        send(ex, 200, receipt);
    }

    /** Moves each document's content out of the designation, checking it against the declared sha256. */
    private static String extractDocuments(ObjectNode designation, Map<String, byte[]> out) {
        for (JsonNode candidate : designation.path("candidates")) {
            for (JsonNode d : candidate.path("documents")) {
                if (!(d instanceof ObjectNode doc)) return "document element is not an object";
                JsonNode content = doc.remove("content");
                String id = doc.path("documentId").asText("");
                if (content == null || !content.isTextual() || id.isEmpty()) return "document without documentId or content";
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(content.asText());
                } catch (IllegalArgumentException e) {
                    return "document content is not base64";
                }
                if (!HexFormat.of().formatHex(sha256(bytes)).equals(doc.path("sha256").asText())) {
                    return "document content does not match its sha256";
                }
                out.put(id, bytes);
            }
        }
        return null;
    }

    private boolean fromGateway(HttpExchange ex) {
        if (!(ex instanceof HttpsExchange https)) return false;
        try {
            Certificate[] peer = https.getSSLSession().getPeerCertificates();
            return peer.length > 0 && Arrays.equals(peer[0].getEncoded(), gatewayCertificate.getEncoded());
        } catch (SSLPeerUnverifiedException | java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }

    /** The body, or null when it exceeds the limit (checked before reading when Content-Length says so). */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) return null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            return body.length > maxBodyBytes ? null : body;
        }
    }

    /** Reads and drops the body, so the client sees the status rather than a reset connection. */
    private void drain(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            long left = maxBodyBytes;
            byte[] buf = new byte[16 * 1024];
            int n;
            while (left > 0 && (n = in.read(buf)) > 0) left -= n;
        } catch (IOException ignored) {
            // the client went away; the status is sent anyway
        }
    }

    private static void error(HttpExchange ex, int status, String code, String reason) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("error", code);
        e.put("reason", reason);
        send(ex, status, Json.bytes(e));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
