package fr.logement.gateway.landlordsim;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.delivery.soap.DeliverDesignation;
import fr.logement.gateway.delivery.soap.DesignationReceipt;
import fr.logement.gateway.delivery.soap.LandlordDesignationPort;
import fr.logement.gateway.delivery.soap.SoapDocument;
import fr.logement.gateway.delivery.soap.WsSecurity;
import fr.logement.gateway.pki.JettyTls;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.policy.CanonicalXml;
import jakarta.xml.soap.SOAPMessage;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.apache.xml.security.c14n.Canonicalizer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A landlord's SOAP system, for the demo and the tests: a real CXF endpoint on Jetty over mutual TLS that checks the
 * gateway's WS-Security signature with its own trust material (the gateway's certificate), checks every attachment
 * against the digest in the signed Body, keeps what it received, deduplicates by message id and answers a receipt
 * signed with its own key.
 */
public final class SoapLandlordSimulator implements AutoCloseable {
    public static final String PATH = "/landlord/designations";
    private static final String RAW = "landlordsim.raw";

    /** What the landlord kept of one delivery. */
    public record ReceivedDesignation(String messageId, JsonNode designation, Map<String, byte[]> attachments,
                                      byte[] rawEnvelope) {}

    private final int port;
    private final KeyMaterial own;
    private final X509Certificate gatewayCertificate;
    private final X509Certificate caCertificate;
    private final Map<String, ReceivedDesignation> received = new LinkedHashMap<>();
    private final Map<String, DesignationReceipt> receipts = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean available = true;
    private Bus bus;
    private Server server;

    public SoapLandlordSimulator(int port, KeyMaterial own, X509Certificate gatewayCertificate, X509Certificate caCertificate) {
        this.port = port;
        this.own = own;
        this.gatewayCertificate = gatewayCertificate;
        this.caCertificate = caCertificate;
    }

    public SoapLandlordSimulator start() throws Exception {
        bus = BusFactory.newInstance().createBus();
        JettyHTTPServerEngineFactory engines = bus.getExtension(JettyHTTPServerEngineFactory.class);
        engines.setTLSServerParametersForPort(port, JettyTls.mutual(own, caCertificate));
        JaxWsServerFactoryBean f = new JaxWsServerFactoryBean();
        f.setBus(bus);
        f.setServiceClass(LandlordDesignationPort.class);
        f.setServiceBean(new Port());
        f.setAddress(endpoint().toString());
        f.setProperties(new java.util.HashMap<>(Map.of("mtom-enabled", Boolean.TRUE)));
        f.getInInterceptors().add(new Gate());
        WsSecurity.requireSignatureBy(f, gatewayCertificate);
        WsSecurity.signWith(f, own);
        server = f.create();
        return this;
    }

    public URI endpoint() {
        return URI.create("https://localhost:" + port + PATH);
    }

    public synchronized List<ReceivedDesignation> received() {
        return List.copyOf(new ArrayList<>(received.values()));
    }

    public int requestCount() {
        return requests.get();
    }

    public void setAvailable(boolean available) {
        this.available = available;
    }

    public void failNext(int n) {
        failures.set(n);
    }

    @Override
    public void close() {
        if (server != null) server.destroy();
        if (bus != null) bus.shutdown(true);
    }

    /** Counts requests, simulates outages, and keeps the raw request (up to 64 MB) for independent checks. */
    private final class Gate extends AbstractPhaseInterceptor<Message> {
        Gate() {
            super(Phase.RECEIVE);
        }

        @Override
        public void handleMessage(Message message) {
            requests.incrementAndGet();
            if (!available || failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                throw new Fault(new IllegalStateException("the landlord is not available"));
            }
            try (InputStream in = message.getContent(InputStream.class)) {
                byte[] raw = in.readNBytes(64 * 1024 * 1024);
                message.getExchange().put(RAW, raw);
                message.setContent(InputStream.class, new ByteArrayInputStream(raw));
            } catch (IOException e) {
                throw new Fault(e);
            }
        }
    }

    /** The landlord's service: checks attachments against the signed digests, keeps, answers a receipt. */
    private final class Port implements LandlordDesignationPort {
        @Override
        public DesignationReceipt deliverDesignation(DeliverDesignation request) {
            Message message = PhaseInterceptorChain.getCurrentMessage();
            synchronized (SoapLandlordSimulator.this) {
                DesignationReceipt known = receipts.get(request.messageId);
                if (known != null) return known;
            }
            JsonNode designation = CanonicalXml.toJson(request.designation);
            Map<String, String> declared = new LinkedHashMap<>();
            for (JsonNode c : designation.path("candidates")) {
                for (JsonNode d : c.path("documents")) declared.put(d.path("documentId").asText(), d.path("sha256").asText());
            }
            Map<String, byte[]> attachments = new LinkedHashMap<>();
            for (SoapDocument d : request.documents) {
                byte[] bytes;
                try (InputStream in = d.content.getInputStream()) {
                    bytes = in.readAllBytes();
                } catch (IOException e) {
                    throw new Fault(e);
                }
                String digest = HexFormat.of().formatHex(sha256().digest(bytes));
                if (!digest.equals(declared.get(d.documentId)) || !digest.equals(d.sha256)) {
                    throw new Fault(new SecurityException("an attachment does not match its signed digest"));
                }
                attachments.put(d.documentId, bytes);
            }
            DesignationReceipt receipt = new DesignationReceipt();
            receipt.messageId = request.messageId;
            receipt.receiptId = "SOAP-RCPT-" + UUID.randomUUID();
            receipt.receivedAt = Instant.now().toString();
            receipt.bodyDigest = "sha256:" + bodyDigest(message);
            synchronized (SoapLandlordSimulator.this) {
                DesignationReceipt known = receipts.putIfAbsent(request.messageId, receipt);
                if (known != null) return known;
                received.put(request.messageId, new ReceivedDesignation(request.messageId, designation, attachments,
                        (byte[]) message.getExchange().get(RAW)));
            }
            return receipt;
        }

        /** SHA-256 of the exclusive canonical form of the SOAP Body as received. */
        private String bodyDigest(Message message) {
            try {
                SOAPMessage soap = message.getContent(SOAPMessage.class);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS)
                        .canonicalizeSubtree(soap.getSOAPBody(), out);
                return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
            } catch (Exception e) {
                return "unavailable";
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
