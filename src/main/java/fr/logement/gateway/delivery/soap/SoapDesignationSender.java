package fr.logement.gateway.delivery.soap;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.delivery.DeliveryReceipt;
import fr.logement.gateway.delivery.DesignationSender;
import fr.logement.gateway.documents.DocumentSource;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.pki.Pki;
import fr.logement.gateway.policy.CanonicalXml;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.WebServiceException;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.jaxws.JaxWsProxyFactoryBean;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers a designation to a SOAP landlord: CXF client over mutual TLS, documents as MTOM attachments, a
 * WS-Security signature by the gateway over Body and Timestamp; the landlord's receipt must come back signed the
 * same way by its registered certificate.
 */
public final class SoapDesignationSender implements DesignationSender {
    private final KeyMaterial gatewayKey;
    private final SSLContext tls;
    private final Path dataDir;
    private final Bus bus = BusFactory.newInstance().createBus();
    private final Map<String, LandlordDesignationPort> ports = new ConcurrentHashMap<>();

    public SoapDesignationSender(KeyMaterial gatewayKey, SSLContext tls, Path dataDir) {
        this.gatewayKey = gatewayKey;
        this.tls = tls;
        this.dataDir = dataDir;
    }

    @Override
    public DeliveryReceipt send(Partner landlord, String messageId, JsonNode designation, DocumentSource documents)
            throws DeliveryException {
        X509Certificate registered = Pki.readCertificate(PartnerCertificates.resolve(dataDir, landlord.certificate()));
        LandlordDesignationPort port = ports.computeIfAbsent(landlord.id() + "|" + landlord.endpoint(),
                k -> port(landlord, registered));
        DeliverDesignation request = new DeliverDesignation();
        request.messageId = messageId;
        request.designation = asXml(designation);
        for (JsonNode candidate : designation.path("candidates")) {
            for (JsonNode doc : candidate.path("documents")) {
                SoapDocument d = new SoapDocument();
                d.documentId = doc.path("documentId").asText();
                d.sha256 = doc.path("sha256").asText();
                d.content = new DataHandler(new StoredDocument(documents, d.sha256, doc.path("mediaType").asText()));
                request.documents.add(d);
            }
        }
        DesignationReceipt receipt;
        try {
            receipt = port.deliverDesignation(request);
        } catch (WebServiceException e) {
            throw new DeliveryException("landlord " + landlord.id() + ": " + reason(e), e);
        }
        if (receipt == null || !messageId.equals(receipt.messageId)) {
            throw new DeliveryException("landlord " + landlord.id() + ": the receipt acknowledges another message");
        }
        Instant receivedAt;
        try {
            receivedAt = Instant.parse(receipt.receivedAt);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new DeliveryException("landlord " + landlord.id() + ": the receipt has no valid receivedAt");
        }
        String receiptDigest = "sha256:" + sha256(String.join("|", receipt.messageId, receipt.receiptId,
                receipt.receivedAt, String.valueOf(receipt.bodyDigest)).getBytes(StandardCharsets.UTF_8));
        return new DeliveryReceipt(receipt.messageId, receipt.receiptId, receivedAt, receipt.bodyDigest,
                registered.getSubjectX500Principal().getName(), receiptDigest);
    }

    private LandlordDesignationPort port(Partner landlord, X509Certificate registered) {
        JaxWsProxyFactoryBean f = new JaxWsProxyFactoryBean();
        f.setBus(bus);
        f.setServiceClass(LandlordDesignationPort.class);
        f.setAddress(landlord.endpoint().toString());
        f.setProperties(new java.util.HashMap<>(Map.of("mtom-enabled", Boolean.TRUE)));
        WsSecurity.signWith(f, gatewayKey);
        WsSecurity.requireSignatureBy(f, registered);
        LandlordDesignationPort port = f.create(LandlordDesignationPort.class);
        ((BindingProvider) port).getRequestContext().put("thread.local.request.context", "true");
        Client client = ClientProxy.getClient(port);
        HTTPConduit conduit = (HTTPConduit) client.getConduit();
        TLSClientParameters params = new TLSClientParameters();
        params.setSslContext(tls);
        conduit.setTlsClientParameters(params);
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(5_000);
        policy.setReceiveTimeout(30_000);
        policy.setAllowChunking(true);
        conduit.setClient(policy);
        return port;
    }

    private static Element asXml(JsonNode designation) {
        Document doc = CanonicalXml.secureDocumentBuilder().newDocument();
        Element root = doc.createElementNS(SoapContract.NS, "designation");
        doc.appendChild(root);
        CanonicalXml.appendTo(root, designation, SoapContract.NS);
        return root;
    }

    /** WS-Security failures in words of our own: a fault text may quote what the other side sent. */
    private static String securityReason(String m) {
        if (m.contains("no security header") || m.contains("Security processing failed")) {
            return "the answer is not signed";
        }
        return "the answer's signature was refused";
    }

    /** The cause in a few words, never the message content. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof java.net.ConnectException) return "connection refused";
        if (root instanceof java.net.http.HttpTimeoutException || root instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        if (root instanceof javax.xml.stream.XMLStreamException) {
            return String.valueOf(root.getMessage()).contains("DTD")
                    ? "the answer carries a DTD, which is refused" : "the answer is not well-formed XML";
        }
        if (e instanceof jakarta.xml.ws.soap.SOAPFaultException f) {
            String m = String.valueOf(f.getMessage());
            if (m.contains("ecurity") || m.contains("ignature")) return "SOAP fault: " + securityReason(m);
            return "SOAP fault " + f.getFault().getFaultCodeAsQName().getLocalPart();
        }
        if (root instanceof SecurityException || String.valueOf(root.getClass().getName()).contains("wss4j")) {
            return "the receipt's signature was refused";
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Response was of unexpected") || m.contains("HTTP response")) return "unexpected HTTP answer";
        return root.getClass().getSimpleName();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A document read from the store only when CXF writes the attachment: never held whole in memory. */
    private record StoredDocument(DocumentSource source, String sha256, String mediaType) implements DataSource {
        @Override
        public InputStream getInputStream() throws IOException {
            return source.open(sha256);
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public String getContentType() {
            return mediaType;
        }

        @Override
        public String getName() {
            return sha256;
        }
    }
}
