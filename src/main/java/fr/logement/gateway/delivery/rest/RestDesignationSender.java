package fr.logement.gateway.delivery.rest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.delivery.DeliveryReceipt;
import fr.logement.gateway.delivery.DesignationSender;
import fr.logement.gateway.documents.DocumentSource;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.jose.JwsVerificationException;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.pki.Pki;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers a filtered designation to a landlord's REST endpoint over mutual TLS, signed with the gateway's key as a
 * detached JWS, and returns the landlord's receipt once its signature (by the landlord's registered certificate),
 * message id and body digest are checked.
 * <p>
 * Wire format: {@code POST <endpoint>} with {@code Content-Type: application/json}, {@code X-Message-Id} and
 * {@code X-JWS-Signature}; body {@code {"messageId":…,"designation":{…}}} in which each
 * {@code candidates[].documents[]} element gains {@code content}, the document in standard base64. The body is
 * streamed to a temporary file (owner-only, under the data directory, deleted afterwards) while it is signed and
 * digested, so no document is ever held whole in memory.
 */
public final class RestDesignationSender implements DesignationSender {
    public static final String MESSAGE_ID_HEADER = "X-Message-Id";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** A receipt is a few hundred bytes; anything much larger is not a receipt and is not buffered. */
    static final int MAX_RECEIPT_BYTES = 64 * 1024;

    private final DetachedJws signer;
    private final Path dataDir;
    private final Path outbox;
    private final Duration requestTimeout;
    private final HttpClient client;

    /**
     * @param gatewayKey the gateway's signing key (the landlord has its certificate registered)
     * @param tls        presents the gateway's TLS certificate and trusts the landlords' CA
     * @param dataDir    the data directory: landlords' certificate paths are relative to it, and temporary bodies
     *                   are written under {@code tmp/rest-outbox} in it
     */
    public RestDesignationSender(KeyMaterial gatewayKey, SSLContext tls, Path dataDir) {
        this(gatewayKey, tls, dataDir, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public RestDesignationSender(KeyMaterial gatewayKey, SSLContext tls, Path dataDir,
                                 Duration connectTimeout, Duration requestTimeout) {
        this.signer = new DetachedJws(gatewayKey);
        this.dataDir = dataDir;
        this.outbox = dataDir.resolve("tmp").resolve("rest-outbox");
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(connectTimeout)
                // HTTP/1.1: predictable with every landlord stack; nothing here gains from multiplexing.
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would carry personal data to an address nobody registered.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public DeliveryReceipt send(Partner landlord, String messageId, JsonNode designation, DocumentSource documents)
            throws DeliveryException {
        String who = "landlord " + landlord.id();
        URI endpoint = landlord.endpoint();
        if (endpoint == null || !"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new DeliveryException(who + ": REST endpoint must be https");
        }
        if (designation == null || !designation.isObject()) {
            throw new DeliveryException(who + ": designation is not a JSON object");
        }
        X509Certificate landlordCertificate = registeredCertificate(landlord, who);

        Path body = null;
        try {
            Files.createDirectories(outbox);
            // createTempFile makes the file rw------- on POSIX: it holds personal data until deleted below.
            body = Files.createTempFile(outbox, "designation-", ".json");
            Written written = writeBody(body, messageId, designation, documents, who);
            Answer answer = post(endpoint, body, messageId, written.signature(), who);
            return checkReceipt(answer, messageId, written.digest(), landlordCertificate, who);
        } catch (IOException e) {
            throw new DeliveryException(who + ": cannot prepare the message body (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (body != null) {
                try {
                    Files.deleteIfExists(body);
                } catch (IOException ignored) {
                    // the outbox is swept by the retention job; nothing more to do for this attempt
                }
            }
        }
    }

    private X509Certificate registeredCertificate(Partner landlord, String who) throws DeliveryException {
        if (landlord.certificate() == null) {
            throw new DeliveryException(who + ": no registered certificate");
        }
        try {
            return Pki.readCertificate(PartnerCertificates.resolve(dataDir, landlord.certificate()));
        } catch (RuntimeException e) {
            throw new DeliveryException(who + ": registered certificate unreadable");
        }
    }

    private record Written(String signature, String digest) {}

    /** Writes the wire body to {@code file}, signing and digesting the same bytes on the way. */
    private Written writeBody(Path file, String messageId, JsonNode designation, DocumentSource documents, String who)
            throws IOException, DeliveryException {
        MessageDigest sha256 = sha256();
        DetachedJws.Signing signing = signer.start(messageId);
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
             OutputStream tee = new Tee(fileOut, signing, sha256);
             JsonGenerator g = Json.mapper().createGenerator(tee, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("messageId", messageId);
            g.writeFieldName("designation");
            writeDesignation(g, designation, documents, who);
            g.writeEndObject();
        }
        String signature = signing.finish();
        return new Written(signature, "sha256:" + HexFormat.of().formatHex(sha256.digest()));
    }

    private void writeDesignation(JsonGenerator g, JsonNode designation, DocumentSource documents, String who)
            throws IOException, DeliveryException {
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = designation.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            g.writeFieldName(f.getKey());
            if ("candidates".equals(f.getKey()) && f.getValue().isArray()) {
                g.writeStartArray();
                for (JsonNode candidate : f.getValue()) writeCandidate(g, candidate, documents, who);
                g.writeEndArray();
            } else {
                g.writeTree(f.getValue());
            }
        }
        g.writeEndObject();
    }

    private void writeCandidate(JsonGenerator g, JsonNode candidate, DocumentSource documents, String who)
            throws IOException, DeliveryException {
        if (!candidate.isObject()) {
            g.writeTree(candidate);
            return;
        }
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = candidate.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            g.writeFieldName(f.getKey());
            if ("documents".equals(f.getKey()) && f.getValue().isArray()) {
                g.writeStartArray();
                for (JsonNode document : f.getValue()) writeDocument(g, document, documents, who);
                g.writeEndArray();
            } else {
                g.writeTree(f.getValue());
            }
        }
        g.writeEndObject();
    }

    /** Copies the document's metadata and streams its content from the store, checking it against its sha256. */
    private void writeDocument(JsonGenerator g, JsonNode document, DocumentSource documents, String who)
            throws IOException, DeliveryException {
        String sha = document.path("sha256").asText("");
        if (!document.isObject() || !sha.matches("[0-9a-f]{64}")) {
            throw new DeliveryException(who + ": a document element has no valid sha256");
        }
        long size;
        try {
            size = documents.size(sha);
        } catch (IOException e) {
            throw new DeliveryException(who + ": a document of the designation is missing from the store");
        }
        if (size > Integer.MAX_VALUE) {
            throw new DeliveryException(who + ": a document is too large to deliver");
        }
        JsonNode declared = document.get("size");
        if (declared != null && declared.canConvertToLong() && declared.asLong() != size) {
            throw new DeliveryException(who + ": a document's size differs from the stored one");
        }
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if ("content".equals(f.getKey())) continue; // the content comes from the store, nowhere else
            g.writeFieldName(f.getKey());
            g.writeTree(f.getValue());
        }
        g.writeFieldName("content");
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(documents.open(sha), md)) {
            g.writeBinary(in, (int) size);
        }
        if (!HexFormat.of().formatHex(md.digest()).equals(sha)) {
            throw new DeliveryException(who + ": a stored document does not match its sha256");
        }
        g.writeEndObject();
    }

    /** The landlord's receipt as received, with the value of its signature header. */
    private record Answer(byte[] receipt, String signature) {}

    private Answer post(URI endpoint, Path body, String messageId, String signature, String who)
            throws DeliveryException, IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header(MESSAGE_ID_HEADER, messageId)
                .header(DetachedJws.HTTP_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofFile(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info ->
                info.statusCode() / 100 == 2
                        ? new LimitedBody(MAX_RECEIPT_BYTES)
                        : HttpResponse.BodySubscribers.replacing(new byte[0]));
        HttpResponse<byte[]> response;
        try {
            // The client's own timeout stops at the response headers; this bounds the receipt body as well.
            response = future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DeliveryException(who + ": no complete answer within " + requestTimeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryException(who + ": interrupted");
        } catch (ExecutionException e) {
            throw new DeliveryException(who + ": " + transportFailure(e.getCause()));
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            // The error body is not read: it could echo what we sent.
            throw new DeliveryException(who + ": answered HTTP " + status);
        }
        String receiptSignature = response.headers().firstValue(DetachedJws.HTTP_HEADER).orElse(null);
        if (receiptSignature == null) {
            throw new DeliveryException(who + ": receipt is not signed");
        }
        return new Answer(response.body(), receiptSignature);
    }

    private DeliveryReceipt checkReceipt(Answer answer, String messageId, String sentDigest,
                                         X509Certificate landlordCertificate, String who) throws DeliveryException {
        byte[] receipt = answer.receipt();
        DetachedJws.Verified verified;
        try {
            verified = DetachedJws.verify(receipt, answer.signature(), landlordCertificate, DetachedJws.SUPPORTED);
        } catch (JwsVerificationException e) {
            throw new DeliveryException(who + ": receipt signature refused (" + e.reason() + ": " + e.getMessage() + ")");
        }
        if (verified.messageId() != null && !verified.messageId().equals(messageId)) {
            throw new DeliveryException(who + ": receipt signature is bound to another message");
        }
        JsonNode r;
        try {
            r = Json.mapper().readTree(receipt);
        } catch (IOException e) {
            throw new DeliveryException(who + ": receipt is not well-formed JSON");
        }
        if (r == null || !r.isObject()) {
            throw new DeliveryException(who + ": receipt is not a JSON object");
        }
        if (!messageId.equals(text(r, "messageId"))) {
            throw new DeliveryException(who + ": receipt acknowledges another message");
        }
        String receiptId = text(r, "receiptId");
        if (receiptId == null || receiptId.isBlank() || receiptId.length() > 200) {
            throw new DeliveryException(who + ": receipt has no receiptId");
        }
        Instant receivedAt;
        try {
            receivedAt = Instant.parse(String.valueOf(text(r, "receivedAt")));
        } catch (DateTimeParseException e) {
            throw new DeliveryException(who + ": receipt has no valid receivedAt");
        }
        String bodyDigest = text(r, "bodyDigest");
        if (!sentDigest.equals(bodyDigest)) {
            throw new DeliveryException(who + ": receipt digest differs from the body sent");
        }
        return new DeliveryReceipt(messageId, receiptId, receivedAt, bodyDigest,
                landlordCertificate.getSubjectX500Principal().getName(), Digests.sha256(receipt));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** A reason without addresses or server text: the exception's kind is enough to act on. */
    private static String transportFailure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) return "connection timed out";
        if (cause instanceof HttpTimeoutException) return "no answer within the request timeout";
        if (cause instanceof ConnectException) return "connection refused";
        if (cause instanceof SSLException) return "TLS handshake or session failed";
        if (cause instanceof ReceiptTooLarge) return "receipt larger than " + MAX_RECEIPT_BYTES + " bytes";
        if (cause instanceof IOException && cause.getCause() instanceof SSLException) return "TLS handshake or session failed";
        return "transport error (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends each byte to the file, the signature and the digest; closing it closes only the file. */
    private static final class Tee extends OutputStream {
        private final OutputStream file;
        private final OutputStream signing;
        private final MessageDigest digest;

        Tee(OutputStream file, OutputStream signing, MessageDigest digest) {
            this.file = file;
            this.signing = signing;
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            file.write(b, off, len);
            signing.write(b, off, len);
            digest.update(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            file.flush();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private static final class ReceiptTooLarge extends IOException {
        ReceiptTooLarge() {
            super("receipt too large");
        }
    }

    /** Buffers a response body up to a limit, and gives up (cancelling the stream) beyond it. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer b : items) {
                if (buffer.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new ReceiptTooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
