package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

/**
 * Maps XML to the canonical JSON form the filter works on, and back, so SOAP and REST messages are filtered by the
 * same catalogue: child elements become fields, repeated elements arrays, text-only elements strings. Also the one
 * place XML parsers are made: no DTD, no external entity, no XInclude.
 */
public final class CanonicalXml {
    private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;

    private CanonicalXml() {}

    /** A namespace-aware parser that refuses DTDs (so no entity expansion, internal or external) and XInclude. */
    public static DocumentBuilder secureDocumentBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("cannot configure a secure XML parser", e);
        }
    }

    /** The canonical JSON of an element's content. */
    public static JsonNode toJson(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) children.add(e);
        }
        if (children.isEmpty()) {
            if ("true".equals(element.getAttributeNS(XSI, "nil"))) return JsonNodeFactory.instance.nullNode();
            return JsonNodeFactory.instance.textNode(element.getTextContent());
        }
        Map<String, List<Element>> byName = new LinkedHashMap<>();
        for (Element c : children) byName.computeIfAbsent(c.getLocalName(), k -> new ArrayList<>()).add(c);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (var e : byName.entrySet()) {
            boolean array = e.getValue().size() > 1 || "true".equals(e.getValue().get(0).getAttribute("array"));
            if (array) {
                ArrayNode a = out.putArray(e.getKey());
                for (Element c : e.getValue()) a.add(toJson(c));
            } else {
                out.set(e.getKey(), toJson(e.getValue().get(0)));
            }
        }
        return out;
    }

    /** Writes canonical JSON as XML under {@code parent}, in {@code namespace}; arrays become repeated elements. */
    public static void appendTo(Element parent, JsonNode node, String namespace) {
        Document doc = parent.getOwnerDocument();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getValue().isArray()) {
                for (JsonNode element : f.getValue()) {
                    Element e = doc.createElementNS(namespace, f.getKey());
                    // Marks a one-element array, so that reading it back gives an array again.
                    if (f.getValue().size() == 1) e.setAttribute("array", "true");
                    write(e, element, namespace);
                    parent.appendChild(e);
                }
            } else {
                Element e = doc.createElementNS(namespace, f.getKey());
                write(e, f.getValue(), namespace);
                parent.appendChild(e);
            }
        }
    }

    private static void write(Element e, JsonNode value, String namespace) {
        if (value.isObject()) {
            appendTo(e, value, namespace);
        } else if (value.isNull()) {
            e.setAttributeNS(XSI, "xsi:nil", "true");
        } else {
            e.setTextContent(value.asText());
        }
    }
}
