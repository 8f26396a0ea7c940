package fr.logement.gateway.allocation.soap;

import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.helpers.IOUtils;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.io.CachedOutputStream;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the envelope as it arrived, before any SOAP or WS-Security processing, and refuses its shape unless it is
 * plain: no DTD, an Envelope whose children are at most one Header then exactly one Body, no other SOAP Body
 * anywhere (a signed Body hidden in a header wrapper is the classic signature-wrapping move), exactly one
 * wsse:Security header, and a bounded depth.
 */
final class RawEnvelopeCheck extends AbstractPhaseInterceptor<SoapMessage> {
    static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static final int MAX_DEPTH = 40;
    private final XMLInputFactory factory;

    RawEnvelopeCheck() {
        super(Phase.RECEIVE);
        addAfter(AllocationEventSoapEndpoint.SizeLimit.class.getName());
        factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException ignored) {
            // SUPPORT_DTD=false already refuses every DTD.
        }
    }

    @Override
    public void handleMessage(SoapMessage message) {
        // A GET (?wsdl) carries no envelope.
        if (!"POST".equals(message.get(org.apache.cxf.message.Message.HTTP_REQUEST_METHOD))) return;
        InputStream in = message.getContent(InputStream.class);
        if (in == null) return;
        try (CachedOutputStream cached = new CachedOutputStream()) {
            IOUtils.copy(in, cached);
            cached.flush();
            check(cached.getInputStream());
            message.setContent(InputStream.class, cached.getInputStream());
        } catch (IOException e) {
            throw new Fault(new SecurityException("the message could not be read: " + e.getMessage()));
        }
    }

    void check(InputStream in) {
        XMLStreamReader r = null;
        try {
            r = factory.createXMLStreamReader(in);
            int depth = 0;
            int bodies = 0;
            int headers = 0;
            int securities = 0;
            int envelopeChildren = 0;
            boolean bodySeen = false;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD) throw refused("a DTD is not allowed");
                if (event == XMLStreamConstants.END_ELEMENT) depth--;
                if (event != XMLStreamConstants.START_ELEMENT) continue;
                depth++;
                if (depth > MAX_DEPTH) throw refused("the envelope is nested too deeply");
                String ns = r.getNamespaceURI();
                String name = r.getLocalName();
                if (depth == 1 && !(SOAP11.equals(ns) && "Envelope".equals(name))) {
                    throw refused("the root element must be a SOAP 1.1 Envelope");
                }
                if (depth == 2) {
                    envelopeChildren++;
                    boolean header = SOAP11.equals(ns) && "Header".equals(name);
                    boolean body = SOAP11.equals(ns) && "Body".equals(name);
                    if (!header && !body) throw refused("the Envelope may hold only a Header and a Body");
                    if (header && (bodySeen || envelopeChildren != 1)) throw refused("the Header must come first, once");
                    if (body) bodySeen = true;
                    if (header) headers++;
                }
                if (SOAP11.equals(ns) && "Body".equals(name)) {
                    bodies++;
                    if (depth != 2) throw refused("a SOAP Body is allowed only as the Envelope's child");
                }
                if (WSSE.equals(ns) && "Security".equals(name)) {
                    securities++;
                    if (depth != 3) throw refused("wsse:Security is allowed only as a header");
                }
            }
            if (bodies != 1 || headers > 1) throw refused("the envelope must hold one Body and at most one Header");
            if (securities != 1) throw refused("exactly one wsse:Security header is required");
        } catch (XMLStreamException e) {
            String m = String.valueOf(e.getMessage());
            throw refused(m.contains("DTD") || m.contains("DOCTYPE") ? "a DTD is not allowed" : "not well-formed XML");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }

    private static Fault refused(String reason) {
        return new Fault(new SecurityException("envelope refused: " + reason));
    }
}
