package fr.logement.gateway.allocation.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.allocation.AllocationEventIntake;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.metrics.GatewayMetrics;
import fr.logement.gateway.pki.JettyTls;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.delivery.soap.WsSecurity;
import jakarta.xml.soap.Detail;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPFactory;
import jakarta.xml.soap.SOAPFault;
import jakarta.xml.ws.Provider;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import jakarta.xml.ws.soap.SOAPFaultException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.apache.xml.security.c14n.Canonicalizer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The gateway's SOAP endpoint for allocation events (schemas/allocation-events.wsdl), on CXF's Jetty over mutual
 * TLS. In order: the TLS client must be a registered partner ({@link SoapCaller}); WS-Security must sign the Body and
 * the Timestamp with that same partner's registered certificate, with allowed algorithms, in a single-Body envelope
 * ({@link WsSecurity}); the payload must be valid against allocation-event-v1.xsd. The event, read from the signed
 * Body only, then goes through the same route as REST events (direct:allocation-event-soap); the receipt goes back
 * signed by the gateway. Every refusal is a SOAP fault with a code and the reason, and an audit row.
 */
public final class AllocationEventSoapEndpoint implements AutoCloseable {
    public static final String NS = "urn:fr:logement:gateway:allocation-event:v1";
    public static final String PATH = "/soap/allocation-events";
    static final QName SERVICE = new QName(NS, "AllocationEventService");
    static final QName PORT = new QName(NS, "AllocationEventPort");

    private final Bus bus;
    private final Server server;

    private AllocationEventSoapEndpoint(Bus bus, Server server) {
        this.bus = bus;
        this.server = server;
    }

    public static AllocationEventSoapEndpoint start(String host, int port, Path schemasDir, KeyMaterial gatewayKey,
                                                    X509Certificate ca, PartnerCertificates certificates,
                                                    CamelContext camel, AuditTrail audit, GatewayMetrics metrics,
                                                    int maxAgeSeconds, long maxBodyBytes) throws Exception {
        Bus bus = BusFactory.newInstance().createBus();
        bus.getExtension(JettyHTTPServerEngineFactory.class).setTLSServerParametersForPort(host, port, JettyTls.mutual(gatewayKey, ca));
        JaxWsServerFactoryBean f = new JaxWsServerFactoryBean();
        f.setBus(bus);
        Port implementation = new Port(schema(schemasDir), camel.createProducerTemplate(), camel);
        f.setServiceClass(Port.class);
        f.setServiceBean(implementation);
        f.setServiceName(SERVICE);
        f.setEndpointName(PORT);
        f.setWsdlLocation(schemasDir.resolve("allocation-events.wsdl").toAbsolutePath().toUri().toString());
        f.setAddress("https://" + host + ":" + port + PATH);
        Map<String, Object> props = new HashMap<>();
        props.put("ws-security.enable.timestamp.cache", Boolean.FALSE);
        props.put("org.apache.cxf.stax.maxTextLength", (int) maxBodyBytes);
        props.put("org.apache.cxf.stax.maxElementCount", 10_000L);
        props.put("org.apache.cxf.stax.maxElementDepth", 40);
        f.setProperties(props);
        f.getInInterceptors().add(new SizeLimit(maxBodyBytes));
        f.getInInterceptors().add(new RawEnvelopeCheck());
        f.getInInterceptors().add(new SoapCaller(certificates));
        WsSecurity.requireSignatureByCaller(f, certificates.all(),
                m -> certificates.of(SoapCaller.partnerOf(m)).orElse(null), maxAgeSeconds);
        WsSecurity.signWith(f, gatewayKey);
        f.getOutFaultInterceptors().add(new FaultAudit(audit, metrics));
        return new AllocationEventSoapEndpoint(bus, f.create());
    }

    @Override
    public void close() {
        server.destroy();
        bus.shutdown(true);
    }

    /** The operation: validate the signed payload, hand it to the flow, answer the receipt. */
    @WebServiceProvider(serviceName = "AllocationEventService", portName = "AllocationEventPort", targetNamespace = NS)
    @ServiceMode(jakarta.xml.ws.Service.Mode.PAYLOAD)
    public static final class Port implements Provider<DOMSource> {
        private final Schema schema;
        private final ProducerTemplate producer;
        private final CamelContext camel;

        Port(Schema schema, ProducerTemplate producer, CamelContext camel) {
            this.schema = schema;
            this.producer = producer;
            this.camel = camel;
        }

        @Override
        public DOMSource invoke(DOMSource request) {
            SoapMessage message = (SoapMessage) PhaseInterceptorChain.getCurrentMessage();
            String partner = SoapCaller.partnerOf(message);
            Element event = element(request.getNode());
            if (event == null || !NS.equals(event.getNamespaceURI()) || !"AllocationEvent".equals(event.getLocalName())) {
                throw fault(new RejectedException(400, "invalid_event", "$", "expected one AllocationEvent element"));
            }
            validate(event);
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(HttpResponses.PARTNER, partner);
            exchange.setProperty(AllocationEventIntake.DIGEST, digest(event));
            exchange.getMessage().setBody(toJson(event));
            producer.send("direct:allocation-event-soap", exchange);
            Exception failure = exchange.getException();
            if (failure instanceof RejectedException r) throw fault(r);
            if (failure instanceof JournalUnavailableException) {
                throw fault(new RejectedException(503, "unavailable", "$",
                        "the journal is unavailable; nothing was accepted, retry later"));
            }
            if (failure != null) {
                throw fault(new RejectedException(500, "internal", "$", "nothing was accepted"));
            }
            return new DOMSource(receipt(Json.parse(AllocationEventIntake.receipt(exchange).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))));
        }

        private void validate(Element event) {
            List<Problem> problems = new ArrayList<>();
            try {
                Validator v = schema.newValidator();
                v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                v.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                    @Override
                    public void error(SAXParseException e) {
                        problems.add(new Problem("AllocationEvent", withoutValues(e.getMessage())));
                    }

                    @Override
                    public void fatalError(SAXParseException e) {
                        error(e);
                    }
                });
                v.validate(new DOMSource(event));
            } catch (SAXException | java.io.IOException e) {
                problems.add(new Problem("AllocationEvent", withoutValues(e.getMessage())));
            }
            if (!problems.isEmpty()) throw fault(new RejectedException(400, "invalid_event", problems));
        }
    }

    /** Schema messages quote the offending value, which may be personal data: keep the rule, drop the value. */
    static String withoutValues(String message) {
        return String.valueOf(message).replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"");
    }

    static Element element(Node node) {
        if (node instanceof Document d) return d.getDocumentElement();
        if (node instanceof Element e) return e;
        return null;
    }

    /** The event as the flow's JSON: each child element a field (the XSD allows no nesting). */
    static JsonNode toJson(Element event) {
        ObjectNode o = Json.mapper().createObjectNode();
        for (Node n = event.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) o.put(n.getLocalName(), n.getTextContent());
        }
        return o;
    }

    /** SHA-256 of the exclusive canonical form of the signed payload: the same event re-signed has the same digest. */
    static String digest(Element event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS).canonicalizeSubtree(event, out);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot canonicalise the event", e);
        }
    }

    static Element receipt(JsonNode r) {
        Document doc = fr.logement.gateway.policy.CanonicalXml.secureDocumentBuilder().newDocument();
        Element root = doc.createElementNS(NS, "e:AllocationEventReceipt");
        doc.appendChild(root);
        for (String f : List.of("messageId", "receiptId", "receivedAt", "bodyDigest", "status")) {
            Element c = doc.createElementNS(NS, "e:" + f);
            c.setTextContent(r.path(f).asText());
            root.appendChild(c);
        }
        return root;
    }

    /** A SOAP fault whose string is "code: path: reason; ..." and whose detail holds the code and the problems. */
    static SOAPFaultException fault(RejectedException r) {
        try {
            SOAPFactory factory = SOAPFactory.newInstance(SOAPConstants.SOAP_1_1_PROTOCOL);
            StringBuilder text = new StringBuilder(r.code());
            for (Problem p : r.problems()) text.append("; ").append(p.path()).append(": ").append(p.reason());
            QName code = new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, r.status() >= 500 ? "Server" : "Client");
            SOAPFault f = factory.createFault(text.toString(), code);
            Detail detail = f.addDetail();
            var error = detail.addDetailEntry(new QName(NS, "error"));
            error.addAttribute(new QName("code"), r.code());
            error.addAttribute(new QName("status"), Integer.toString(r.status()));
            for (Problem p : r.problems()) {
                var pe = error.addChildElement(new QName(NS, "problem"));
                pe.addAttribute(new QName("path"), p.path());
                pe.addTextNode(p.reason());
            }
            return new SOAPFaultException(f);
        } catch (SOAPException e) {
            throw new IllegalStateException("cannot build a SOAP fault", e);
        }
    }

    static Schema schema(Path schemasDir) throws SAXException {
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        return sf.newSchema(schemasDir.resolve("allocation-event-v1.xsd").toFile());
    }

    /** Refuses a request body over the limit before it is parsed (413 semantics, as a SOAP fault). */
    static final class SizeLimit extends AbstractPhaseInterceptor<Message> {
        private final long max;

        SizeLimit(long max) {
            super(Phase.RECEIVE);
            this.max = max;
        }

        @Override
        public void handleMessage(Message message) {
            Object length = message.get("Content-Length");
            Map<?, ?> headers = (Map<?, ?>) message.get(Message.PROTOCOL_HEADERS);
            if (headers != null) {
                for (var e : headers.entrySet()) {
                    if ("content-length".equalsIgnoreCase(String.valueOf(e.getKey())) && e.getValue() instanceof List<?> l
                            && !l.isEmpty()) {
                        length = l.get(0);
                    }
                }
            }
            if (length != null) {
                try {
                    if (Long.parseLong(String.valueOf(length).trim()) > max) {
                        throw new Fault(new SecurityException("the message is larger than the " + max + " bytes allowed"));
                    }
                } catch (NumberFormatException ignored) {
                    throw new Fault(new SecurityException("bad Content-Length"));
                }
            }
            java.io.InputStream in = message.getContent(java.io.InputStream.class);
            if (in != null) message.setContent(java.io.InputStream.class, new Bounded(in, max));
        }
    }

    /** Fails a stream that goes on beyond the limit (chunked bodies have no Content-Length). */
    static final class Bounded extends java.io.FilterInputStream {
        private final long max;
        private long read;

        Bounded(java.io.InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0 && ++read > max) throw new java.io.IOException("the message is larger than allowed");
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (read += n) > max) throw new java.io.IOException("the message is larger than allowed");
            return n;
        }
    }

    /** Every SOAP refusal leaves an audit row and a metric; the fault text never holds message content. */
    static final class FaultAudit extends AbstractPhaseInterceptor<Message> {
        private final AuditTrail audit;
        private final GatewayMetrics metrics;

        FaultAudit(AuditTrail audit, GatewayMetrics metrics) {
            super(Phase.PRE_STREAM);
            this.audit = audit;
            this.metrics = metrics;
        }

        @Override
        public void handleMessage(Message message) {
            Exception e = message.getContent(Exception.class);
            String partner = (String) message.getExchange().get(SoapCaller.PARTNER);
            String reason = e == null ? "fault" : summary(e);
            metrics.rejected(AllocationEventIntake.FLOW, partner == null ? "unknown" : partner, 500);
            try {
                audit.record(partner == null ? "unknown" : partner, null, AllocationEventIntake.FLOW + ".received",
                        null, "rejected_soap", reason);
            } catch (RuntimeException ignored) {
                // The fault still goes out; the journal being down is reported by the health endpoint.
            }
        }

        static String summary(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SOAPFaultException s) return withoutValues(s.getFault().getFaultString());
                if (t instanceof SecurityException) return withoutValues(t.getMessage());
            }
            return e.getClass().getSimpleName();
        }
    }
}
