package fr.logement.gateway.landlordsim;

import fr.logement.gateway.delivery.soap.WsSecurity;
import org.apache.wss4j.common.WSEncryptionPart;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.message.WSSecHeader;
import org.apache.wss4j.dom.message.WSSecSignature;
import org.apache.wss4j.dom.message.WSSecTimestamp;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A landlord's SOAP client for allocation events, as a landlord's own system would build it, independently of the
 * gateway's SOAP stack: the envelope with DOM, the WS-Security header (Timestamp, X.509 signature over Body and
 * Timestamp) with WSS4J's message API directly, and Java's own HTTP client over mutual TLS. Used by `demo` and, with
 * its knobs (algorithm, timestamp, coverage), by the attack tests.
 */
public final class LandlordSoapClient {
    public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String NS = "urn:fr:logement:gateway:allocation-event:v1";
    public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public static final String RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public static final String EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

    private final HttpClient http;
    private final URI endpoint;

    public LandlordSoapClient(URI endpoint, PrivateKey tlsKey, X509Certificate tlsCert, X509Certificate ca) throws Exception {
        this.endpoint = endpoint;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", tlsKey, "x".toCharArray(), new X509Certificate[]{tlsCert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "x".toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An unsigned envelope holding one AllocationEvent with these fields, in this order. */
    public static Document envelope(Map<String, String> fields) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().newDocument();
        Element env = doc.createElementNS(SOAP_NS, "soap:Envelope");
        doc.appendChild(env);
        env.appendChild(doc.createElementNS(SOAP_NS, "soap:Header"));
        Element body = doc.createElementNS(SOAP_NS, "soap:Body");
        env.appendChild(body);
        body.appendChild(event(doc, fields));
        // Serialise and parse again, so the namespace declarations exist as attributes before anything is signed
        // (canonicalisation reads them from the tree).
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                xml(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static Element event(Document doc, Map<String, String> fields) {
        Element event = doc.createElementNS(NS, "e:AllocationEvent");
        for (var e : fields.entrySet()) {
            Element c = doc.createElementNS(NS, "e:" + e.getKey());
            c.setTextContent(e.getValue());
            event.appendChild(c);
        }
        return event;
    }

    /** How to sign: key, certificate, algorithm, when the Timestamp says it was created, what to cover. */
    public record Signing(PrivateKey key, X509Certificate certificate, String algorithm, Instant created, boolean body,
                   boolean timestamp) {
        public static Signing by(PrivateKey key, X509Certificate certificate) {
            return new Signing(key, certificate, RSA_SHA256, Instant.now(), true, true);
        }

        public Signing algorithm(String a) {
            return new Signing(key, certificate, a, created, body, timestamp);
        }

        public Signing createdAt(Instant at) {
            return new Signing(key, certificate, algorithm, at, body, timestamp);
        }

        public Signing covering(boolean b, boolean t) {
            return new Signing(key, certificate, algorithm, created, b, t);
        }
    }

    /** Adds the wsse:Security header: Timestamp, BinarySecurityToken, Signature. */
    public static Document sign(Document doc, Signing s) throws Exception {
        return sign(doc, s, crypto(s.key(), s.certificate()));
    }

    /** A WSS4J crypto holding {@code key} in memory, made once to sign many messages. */
    public static Merlin crypto(PrivateKey key, X509Certificate certificate) {
        return WsSecurity.signingCrypto(key, "signer", certificate);
    }

    /** As {@link #sign(Document, Signing)}, with a crypto made once by {@link #crypto}. */
    public static Document sign(Document doc, Signing s, Merlin crypto) throws Exception {
        WSSecHeader header = new WSSecHeader(doc);
        header.insertSecurityHeader();
        WSSecTimestamp ts = new WSSecTimestamp(header);
        ts.setTimeToLive(300);
        ts.setWsTimeSource(() -> s.created());
        ts.build();
        WSSecSignature sig = new WSSecSignature(header);
        sig.setUserInfo("signer", "x");
        sig.setKeyIdentifierType(WSConstants.BST_DIRECT_REFERENCE);
        sig.setSignatureAlgorithm(s.algorithm());
        sig.setDigestAlgo(SHA256);
        sig.setSigCanonicalization(EXC_C14N);
        if (s.body()) sig.getParts().add(new WSEncryptionPart("Body", SOAP_NS, "Content"));
        if (s.timestamp()) sig.getParts().add(new WSEncryptionPart(ts.getId()));
        sig.build(crypto);
        return doc;
    }

    public static String xml(Document doc) throws Exception {
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.transform(new DOMSource(doc), new StreamResult(out));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public HttpResponse<String> post(String envelope) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"urn:fr:logement:gateway:allocation-event:v1:ReportAllocationEvent\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
