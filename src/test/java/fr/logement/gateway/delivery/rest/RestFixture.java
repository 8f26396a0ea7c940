package fr.logement.gateway.delivery.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.documents.DocumentStore;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One landlord and the gateway, for the REST delivery tests: a fresh PKI and data directory, a document store with
 * a PDF and a PNG, the landlord's registered certificate on disk, and a simulator on a free loopback port.
 */
final class RestFixture implements AutoCloseable {
    static final String LANDLORD = "seqens";

    final Path dataDir;
    final Pki pki;
    final KeyMaterial gateway;
    final KeyMaterial landlordKey;
    final DocumentStore store;
    final byte[] pdf;
    final byte[] png;
    final String pdfSha;
    final String pngSha;
    RestLandlordSimulator simulator;

    RestFixture(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.pki = Pki.openOrCreate(dataDir.resolve("pki"));
        this.gateway = pki.ensure(Pki.GATEWAY);
        this.landlordKey = pki.ensure(LANDLORD);
        Path registered = dataDir.resolve("partners").resolve(LANDLORD + ".pem");
        Files.createDirectories(registered.getParent());
        Pki.writePem(registered, landlordKey.certificate());
        this.store = new DocumentStore(dataDir.resolve("documents"));
        Random r = new Random(3);
        byte[] pdfTail = new byte[40_000];
        r.nextBytes(pdfTail);
        this.pdf = concat("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), pdfTail);
        byte[] pngTail = new byte[25_001];
        r.nextBytes(pngTail);
        this.png = concat(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, pngTail);
        this.pdfSha = store.put(pdf).sha256();
        this.pngSha = store.put(png).sha256();
    }

    /** Starts a simulator answering with {@code landlordOwnKey} (the registered key unless a test says otherwise). */
    RestLandlordSimulator startLandlord(KeyMaterial landlordOwnKey) throws IOException {
        simulator = new RestLandlordSimulator(freePort(), landlordOwnKey, gateway.certificate(), pki.caCertificate()).start();
        return simulator;
    }

    RestLandlordSimulator startLandlord() throws IOException {
        return startLandlord(landlordKey);
    }

    Partner landlord(URI endpoint) {
        return new Partner(LANDLORD, Partner.PartnerKind.landlord, "Seqens", "552100554", null, List.of("92"),
                Partner.Protocol.rest, endpoint, "partners/" + LANDLORD + ".pem");
    }

    RestDesignationSender sender() {
        return new RestDesignationSender(gateway, pki.tlsContext(gateway), dataDir);
    }

    RestDesignationSender sender(Duration connect, Duration request) {
        return new RestDesignationSender(gateway, pki.tlsContext(gateway), dataDir, connect, request);
    }

    /** A designation as the filter hands it over: documents carry metadata and sha256, no content. */
    JsonNode designation() throws IOException {
        ObjectNode d = (ObjectNode) Json.mapper().readTree("""
                {"designationId":"ALS-2026-000123","landlordId":"seqens",
                 "offer":{"rplsId":"9200012345","communeInsee":"92050","rent":612.40,"rooms":3,
                          "designationDeadline":"2026-12-20T17:00:00Z"},
                 "candidates":[{"rank":1,
                   "identity":{"civility":"MME","lastName":"Durand","firstName":"Élodie","birthDate":"1984-05-12"},
                   "documents":[]}]}
                """);
        ArrayNode docs = (ArrayNode) d.get("candidates").get(0).get("documents");
        docs.add(Json.mapper().valueToTree(Map.of("documentId", "d1", "type", "identity", "mediaType", "application/pdf",
                "fileName", "cni.pdf", "sha256", pdfSha, "size", pdf.length)));
        docs.add(Json.mapper().valueToTree(Map.of("documentId", "d2", "type", "tax_notice", "mediaType", "image/png",
                "fileName", "avis.png", "sha256", pngSha, "size", png.length)));
        return d;
    }

    /** Posts raw bytes to the simulator over mTLS as the gateway, with whatever headers a test wants. */
    HttpResponse<String> postRaw(byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(pki.tlsContext(gateway))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(simulator.endpoint()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        return fr.logement.gateway.testing.TestPorts.free();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() {
        if (simulator != null) simulator.stop();
    }
}
